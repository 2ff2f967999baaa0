import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';
import { routeList } from './routes.js';

describe('buildOpenApi', () => {
  const doc = buildOpenApi();

  it('produces a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('describes every route of the table exactly once', () => {
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item) as { operationId: string }[]);
    expect(operations.map((o) => o.operationId).sort()).toEqual(routeList.map((r) => r.id).sort());
  });

  it('names a schema used by several routes once (no Output copies of identical definitions)', () => {
    expect(Object.keys(doc.components.schemas).filter((name) => name.endsWith('Output'))).toEqual([]);
    expect(doc.components.schemas.Lead).toBeDefined();
  });

  it('references the seed lead schema by name and documents its error strings', () => {
    const ingest = doc.paths['/api/leads/ingest']!.post as any;
    expect(ingest.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/InboundLead' });
    expect(ingest.responses['400'].description).toContain('User consent required');
    expect(ingest.responses['401'].description).toContain('Invalid API key');
    expect(ingest.responses['429'].headers['Retry-After']).toBeDefined();
    const lead = doc.components.schemas.InboundLead as any;
    expect(lead.required).toEqual(
      expect.arrayContaining(['source_platform', 'user_phone_encrypted', 'original_message', 'user_consent', 'lead_value_agreed']),
    );
    expect(lead.required).not.toContain('user_name');
  });

  it('lists Idempotency-Key only where the server honours it', () => {
    const takesKey = (path: string) => ((doc.paths[path]!.post as any).parameters as { name: string }[]).some((p) => p.name === 'Idempotency-Key');
    expect(takesKey('/api/leads/ingest')).toBe(true);
    expect(takesKey('/api/integration/webhook/register')).toBe(true);
    expect(takesKey('/api/lookup')).toBe(false);
    expect(takesKey('/auth/login')).toBe(false);
    expect(takesKey('/api/integration/auth')).toBe(false);
  });

  it('marks path parameters required and turns list queries into parameters', () => {
    const retrieve = doc.paths['/api/leads/{leadId}']!.get as any;
    expect(retrieve.parameters).toContainEqual(expect.objectContaining({ name: 'leadId', in: 'path', required: true }));
    const list = doc.paths['/api/partner/payments']!.get as any;
    const limit = list.parameters.find((p: any) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { maximum: 500, default: 100 } });
  });
  it('describes every tag a route uses', () => {
    expect(doc.tags.filter((tag) => !tag.description).map((tag) => tag.name)).toEqual([]);
  });

  it('gives each webhook an operationId and no security scheme: receivers check the signature headers', () => {
    const webhooks = Object.values(doc.webhooks).map((item) => item.post as { operationId: string; security: unknown[] });
    expect(webhooks.map((w) => w.operationId)).toContain('consentRevokedWebhook');
    expect(new Set(webhooks.map((w) => w.operationId)).size).toBe(webhooks.length);
    for (const webhook of webhooks) expect(webhook.security).toEqual([]);
  });
});
