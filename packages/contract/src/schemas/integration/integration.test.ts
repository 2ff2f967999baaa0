import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../openapi.js';
import { routes } from '../../routes.js';
import { ErrorText } from '../../errors.js';
import { AssignActivityRequest, IntegrationAuthRequest, permissionAtLeast, TherapistAlertListQuery, UpdateClientLinkRequest } from './index.js';

describe('integration schemas', () => {
  it("reports missing credentials with the seed's exact text", () => {
    for (const body of [{ therapistId: 't' }, { apiKey: 'k', therapistId: 't' }, { apiKey: ' ', apiSecret: 's', therapistId: 't' }]) {
      const result = IntegrationAuthRequest.safeParse(body);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.message)).toContain(ErrorText.integrationCredentialsRequired);
    }
  });

  it('orders permission levels BASIC < STANDARD < FULL', () => {
    expect(permissionAtLeast('FULL', 'STANDARD')).toBe(true);
    expect(permissionAtLeast('STANDARD', 'STANDARD')).toBe(true);
    expect(permissionAtLeast('BASIC', 'STANDARD')).toBe(false);
  });

  it('reads unreadOnly strictly and bounds limit', () => {
    expect(TherapistAlertListQuery.parse({ unreadOnly: 'false' }).unreadOnly).toBe(false);
    expect(TherapistAlertListQuery.parse({ unreadOnly: '1' }).unreadOnly).toBe(true);
    expect(TherapistAlertListQuery.parse({}).limit).toBe(100);
    expect(TherapistAlertListQuery.safeParse({ unreadOnly: 'yes' }).success).toBe(false);
    expect(TherapistAlertListQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(TherapistAlertListQuery.safeParse({ type: 'PANIC' }).success).toBe(false);
  });

  it('takes the seed assign example as is and defaults the priority', () => {
    const seed = {
      taskDescription: 'Complete the Gottman Love Map exercise',
      module: 'gottman_love_maps',
      activities: ['love_map_quiz', 'open_ended_questions'],
      notes: "Focus on curiosity about partner's inner world",
      dueDate: '2026-02-19',
      priority: 'high',
    };
    expect(AssignActivityRequest.parse(seed)).toEqual(seed);
    expect(AssignActivityRequest.parse({ taskDescription: 'x' }).priority).toBe('medium');
  });

  it('refuses an empty link update', () => {
    expect(UpdateClientLinkRequest.safeParse({}).success).toBe(false);
    expect(UpdateClientLinkRequest.safeParse({ consent: 'revoked' }).success).toBe(true);
  });

  it('documents the integration token scheme and every integration route', () => {
    const doc = buildOpenApi();
    expect(doc.components.securitySchemes.integrationJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    const clients = doc.paths['/api/integration/clients']!.get as any;
    expect(clients.security).toEqual([{ integrationJwt: [] }]);
    const auth = doc.paths['/api/integration/auth']!.post as any;
    expect(auth.responses['400'].description).toContain('apiKey and apiSecret are required');
    expect(auth.responses['404'].description).toContain('Therapist not found or inactive');
    expect(routes.assignClientActivity.status).toBe(201);
  });
});
