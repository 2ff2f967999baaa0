import { describe, expect, it } from 'vitest';
import { ErrorText } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { documentedStatuses, routeErrors } from './route-errors.js';
import { routeList, routes } from './routes.js';
import { allowedRoles, isProviderSigned, type RouteSpec } from './route.js';

const ROUTES = routeList as readonly RouteSpec[];

describe('routeErrors', () => {
  it('documents what a declaration implies: params, query and body → 400, body → 413/415, auth → 401, roles → 403', () => {
    for (const route of ROUTES) {
      const errors = routeErrors(route);
      if (route.params) expect(errors[400], route.id).toContain(ErrorText.invalidParams);
      if (route.query) expect(errors[400], route.id).toContain(ErrorText.invalidQuery);
      const mediaType = route.bodyEncoding === 'form' ? ErrorText.unsupportedFormMediaType : ErrorText.unsupportedMediaType;
      if (route.body) expect([errors[400]?.includes(ErrorText.invalidBody), errors[413], errors[415]], route.id).toEqual([true, [ErrorText.payloadTooLarge], [mediaType]]);
      // A provider's signature is not a credential of ours: a wrong one is 403, never a 401 asking to log in.
      if (isProviderSigned(route)) expect([errors[401], errors[403]], route.id).toEqual([undefined, [ErrorText.invalidSignature]]);
      else if (route.auth !== 'none') expect(errors[401]?.length, route.id).toBeGreaterThan(0);
      if (allowedRoles(route).length === 1) expect(errors[403], route.id).toContain(ErrorText.forbidden);
      if (route.rateLimit) expect(errors[429], route.id).toEqual([ErrorText.rateLimited]);
      expect(Object.keys(errors), route.id).toEqual(expect.arrayContaining(['500', '503']));
    }
  });

  it('names the roles of every staff route: a staff route admits nobody it does not name (deny by default)', () => {
    const unnamed = ROUTES.filter((r) => r.auth === 'staffJwt' && r.roles === undefined).map((r) => r.id);
    expect(unnamed).toEqual([]);
    expect(allowedRoles({ auth: 'staffJwt' })).toEqual(['admin']);
    expect(allowedRoles({ auth: 'partnerKey', roles: ['staff'] })).toEqual([]);
  });

  it('keeps a route’s own strings first and adds the implied ones once', () => {
    const errors = routeErrors(routes.retrieveLead);
    expect(errors[401]).toEqual([ErrorText.invalidApiKey]);
    expect(errors[400]).toEqual([ErrorText.invalidParams]);
    expect(routeErrors(routes.ingestLead)[400]![0]).toBe('Missing required fields: user_phone_encrypted or original_message');
  });

  it('never lists an alternative answer as an error', () => {
    expect(routeErrors(routes.lookupPhone)[404]).toBeUndefined();
    expect([...documentedStatuses(routes.lookupPhone)].sort()).toEqual([200, 400, 401, 404, 429, 500, 503]);
  });

  it('puts the same statuses in the OpenAPI document', () => {
    const doc = buildOpenApi();
    for (const route of ROUTES) {
      const operation = doc.paths[route.path]![route.method.toLowerCase()] as { responses: Record<string, unknown> };
      expect(Object.keys(operation.responses).map(Number).sort(), route.id).toEqual([...documentedStatuses(route)].sort());
    }
    const retrieve = doc.paths['/api/leads/{leadId}']!.get as { responses: Record<string, { description: string }> };
    expect(retrieve.responses['400']!.description).toContain(ErrorText.invalidParams);
  });
});
