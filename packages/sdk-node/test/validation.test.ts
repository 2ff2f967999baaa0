import { afterEach, describe, expect, it } from 'vitest';
import { routes } from '@careos/contract';
import { CareOS, RequestValidationError } from '../src/index.js';
import { COMPILE_AFTER, hotSchema } from '../src/core/hot-schemas.js';
import { fastRetries, inboundLead, ingestResponse, partner } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: CareOS;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

async function setup(body: unknown = ingestResponse) {
  server = await startServer((_req, res) => json(res, 200, body));
  client = new CareOS({ ...fastRetries, ...partner, staffToken: 'staff-token', baseURL: server.url });
}

async function validationError(promise: Promise<unknown>): Promise<RequestValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe('client-side validation sends nothing', () => {
  it('a lead without consent', async () => {
    await setup();
    const error = await validationError(client.leads.ingest(inboundLead({ user_consent: false as never })));
    expect(error.location).toBe('body');
    expect(error.details).toEqual([{ path: 'user_consent', message: 'User consent required' }]);
    expect(server.requests).toHaveLength(0);
  });

  it('a lead missing required fields lists each one', async () => {
    await setup();
    const { original_message: _m, category: _c, ...rest } = inboundLead();
    const error = await validationError(client.leads.ingest(rest as never));
    expect(error.details.map((d) => d.path).sort()).toEqual(['category', 'original_message']);
    expect(error.message).toMatch(/^Invalid request body: /);
    expect(server.requests).toHaveLength(0);
  });

  it('nested fields are reported by dotted path', async () => {
    await setup();
    const error = await validationError(client.leads.ingest(inboundLead({ ai_extracted_details: { urgency: 'x'.repeat(500) } })));
    expect(error.details[0]?.path).toBe('ai_extracted_details.urgency');
  });

  it('query parameters', async () => {
    await setup({ payments: [], next_cursor: null });
    const error = await validationError(client.partner.payments.list({ limit: 1000 }));
    expect(error.location).toBe('query');
    expect(error.details[0]?.path).toBe('limit');
    await validationError(client.partner.payments.list({ status: 'bogus' as never }));
    expect(server.requests).toHaveLength(0);
  });

  it('path parameters', async () => {
    await setup();
    const error = await validationError(client.leads.retrieve(''));
    expect(error.location).toBe('params');
    await validationError(client.admin.partners.createKey('Not A Platform!'));
    expect(server.requests).toHaveLength(0);
  });

  it('admin and auth bodies', async () => {
    await setup();
    await validationError(client.admin.partners.create({ platform: 'UPPER' }));
    await validationError(client.auth.login({ email: 'not-an-email', password: 'x' }));
    await validationError(client.auth.login({ email: 'a@b.co', password: '' }));
    expect(server.requests).toHaveLength(0);
  });
});

describe('what is sent is the validated value', () => {
  it('unknown top-level fields are dropped, so stray data never leaves the process', async () => {
    await setup();
    await client.leads.ingest({ ...inboundLead(), debug_phone: '+14155550100' } as never);
    expect(server.requests[0]?.body.toString()).not.toContain('debug_phone');
  });

  it('the contract’s normalisation applies (login email trimmed and lower-cased)', async () => {
    await setup({ access_token: 't', token_type: 'bearer', expires_in: 3600, user: {} });
    await client.auth.login({ email: '  Admin@Example.COM ', password: 'pw' });
    expect(JSON.parse(server.requests[0]?.body.toString() ?? '{}')).toEqual({ email: 'admin@example.com', password: 'pw' });
  });

  it('query parameters are serialised and path parameters encoded', async () => {
    await setup({ payments: [], next_cursor: null });
    await client.partner.payments.list({ status: 'pending', limit: 25 });
    const url = new URL(server.requests[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/api/partner/payments');
    expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'pending', limit: '25' });
    await client.leads.retrieve('lead_a/b c');
    expect(server.requests[1]?.url).toBe('/api/leads/lead_a%2Fb%20c');
  });

  it('optional bodies default to the contract’s defaults', async () => {
    await setup({ api_key: 'k', key: {} });
    await client.admin.partners.createKey('businessos');
    expect(JSON.parse(server.requests[0]?.body.toString() ?? '{}')).toEqual({ environment: 'live', revoke_existing: false });
    expect(server.requests[0]?.url).toBe('/admin/partners/businessos/keys');
  });
});

describe('validateRequestBodies: false', () => {
  it('sends the body as given and leaves the verdict to the server; parameters are still checked', async () => {
    server = await startServer((_req, res) => json(res, 400, { error: 'User consent required', code: 'CONSENT_REQUIRED', request_id: 'r' }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, validateRequestBodies: false });
    const error = await client.leads.ingest(inboundLead({ user_consent: false as never })).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(RequestValidationError);
    expect(JSON.parse(server.requests[0]?.body.toString() ?? '{}')).toMatchObject({ user_consent: false });
    await validationError(client.leads.retrieve(''));
    expect(server.requests).toHaveLength(1);
  });
});

describe('per-request options are checked', () => {
  it('rejects nonsense timeouts and retry counts', async () => {
    await setup();
    await expect(client.health.check({ timeout: -1 })).rejects.toThrow(/Invalid option timeout/);
    await expect(client.health.check({ maxRetries: 1.5 })).rejects.toThrow(/Invalid option maxRetries/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a route called often is validated with its compiled schema', () => {
  it('refuses and reshapes bodies exactly as before', async () => {
    await setup();
    // Count the ingest body's uses up to the point where the next call compiles it.
    for (let i = 1; i < COMPILE_AFTER; i++) hotSchema(routes.ingestLead.body);
    await client.leads.ingest(inboundLead({ user_name: '  Ada  ', extra: 'dropped' } as never));
    expect(hotSchema(routes.ingestLead.body)).not.toBe(routes.ingestLead.body);
    const sent = JSON.parse(server.requests[0]?.body.toString() ?? '{}') as Record<string, unknown>;
    expect(sent.user_name).toBe('Ada');
    expect(sent).not.toHaveProperty('extra');
    const error = await validationError(client.leads.ingest(inboundLead({ user_consent: false as never })));
    expect(error.details).toEqual([{ path: 'user_consent', message: 'User consent required' }]);
    expect(server.requests).toHaveLength(1);
  });
});
