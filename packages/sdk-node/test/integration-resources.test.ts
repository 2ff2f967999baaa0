import { afterEach, describe, expect, it } from 'vitest';
import {
  CareOS,
  CareOSIntegration,
  InsufficientPermissionError,
  NoConsentError,
  Page,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
} from '../src/index.js';
import { fastRetries } from './helpers/fixtures.js';
import { alert, AUTH_PATH, integrationCredentials as creds } from './helpers/integration.js';
import { errorBody, json, startServer, type Handler, type RecordedRequest, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: CareOSIntegration | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
});

/** A server that issues one token and answers every other request with `handler`. */
async function apiServer(handler: Handler) {
  server = await startServer((req, res, index, raw) => {
    if (req.url === AUTH_PATH) return json(res, 200, { token: 'tok1', expiresIn: 3600, tokenType: 'Bearer' });
    return handler(req, res, index, raw);
  });
  client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: server.url });
  return client;
}

const calls = () => server.requests.filter((r) => r.url !== AUTH_PATH);
const lastCall = () => calls().at(-1) as RecordedRequest;

describe('integration resources', () => {
  it('each method sends its route with the bearer token', async () => {
    const integration = await apiServer((req, res) => json(res, req.method === 'POST' ? 201 : 200, { ok: req.url }));
    await integration.clients.list();
    await integration.clients.progress('client 1');
    await integration.clients.sessionPrep('client_1', { lastSessionDate: new Date('2026-02-05T15:00:00Z') });
    await integration.clients.assign('client_1', { taskDescription: 'Complete the Gottman Love Map exercise', module: 'gottman_love_maps', dueDate: '2026-02-19' });
    await integration.couples.dynamics('couple_1');
    await integration.outcomes.retrieve();
    expect(calls().map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/integration/clients',
      // Path parameters are encoded.
      'GET /api/integration/clients/client%201/progress',
      'GET /api/integration/clients/client_1/session-prep?lastSessionDate=2026-02-05T15%3A00%3A00.000Z',
      'POST /api/integration/clients/client_1/assign',
      'GET /api/integration/couples/couple_1/dynamics',
      'GET /api/integration/outcomes',
    ]);
    expect(calls().every((r) => r.headers.authorization === 'Bearer tok1')).toBe(true);
    const assign = calls()[3] as RecordedRequest;
    // The contract's default priority is applied before sending.
    expect(JSON.parse(assign.body.toString())).toEqual({
      taskDescription: 'Complete the Gottman Love Map exercise',
      module: 'gottman_love_maps',
      dueDate: '2026-02-19',
      priority: 'medium',
    });
    expect(assign.headers['idempotency-key']).toBeDefined();
  });

  it('sessionPrep takes an ISO string as well, and omits an unset anchor', async () => {
    const integration = await apiServer((_req, res) => json(res, 200, {}));
    await integration.clients.sessionPrep('client_1', { lastSessionDate: '2026-02-05T15:00:00Z' });
    expect(lastCall().url).toBe('/api/integration/clients/client_1/session-prep?lastSessionDate=2026-02-05T15%3A00%3A00Z');
    await integration.clients.sessionPrep('client_1');
    expect(lastCall().url).toBe('/api/integration/clients/client_1/session-prep');
  });

  it('checks bodies and queries against the contract before sending', async () => {
    const integration = await apiServer((_req, res) => json(res, 200, {}));
    await expect(integration.clients.assign('client_1', { taskDescription: '' })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(integration.alerts.list({ type: 'PANIC' as 'CRISIS' })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(integration.clients.sessionPrep('client_1', { lastSessionDate: new Date('not a date') })).rejects.toBeInstanceOf(RequestValidationError);
    expect(calls()).toHaveLength(0);
  });
});

describe('alerts.list', () => {
  /** Serves `total` alerts newest first in pages of `limit`; the cursor is an opaque offset token. */
  async function alertServer(total: number) {
    return apiServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const offset = url.searchParams.has('cursor') ? Number(Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString()) : 0;
      const alerts = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => alert(offset + i));
      const next = offset + limit < total ? Buffer.from(String(offset + limit)).toString('base64url') : null;
      json(res, 200, { alerts, unreadCount: total, total, next_cursor: next });
    });
  }

  it('await gives the first page, with unreadCount and total in its body', async () => {
    const integration = await alertServer(5);
    const page = await integration.alerts.list({ limit: 2 });
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((a) => a.id)).toEqual(['alert_0', 'alert_1']);
    expect(page.hasNextPage()).toBe(true);
    expect(page.body).toMatchObject({ unreadCount: 5, total: 5 });
    expect(calls()).toHaveLength(1);
  });

  it('for await walks every alert of every page, keeping the filters on each request', async () => {
    const integration = await alertServer(7);
    const ids: string[] = [];
    for await (const a of integration.alerts.list({ type: 'RISK', unreadOnly: true, since: new Date('2026-02-01T00:00:00Z'), limit: 3 })) ids.push(a.id);
    expect(ids).toEqual(Array.from({ length: 7 }, (_, i) => `alert_${i}`));
    expect(calls()).toHaveLength(3);
    for (const request of calls()) {
      const query = new URL(request.url, 'http://x').searchParams;
      expect(query.get('type')).toBe('RISK');
      // Booleans and Dates travel in the form the contract's query schema reads.
      expect(query.get('unreadOnly')).toBe('true');
      expect(query.get('since')).toBe('2026-02-01T00:00:00.000Z');
      expect(query.get('limit')).toBe('3');
    }
    expect(calls().map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([null, 'Mw', 'Ng']);
  });

  it('unreadOnly: false is sent, not dropped', async () => {
    const integration = await alertServer(1);
    await integration.alerts.list({ unreadOnly: false });
    expect(new URL(lastCall().url, 'http://x').searchParams.get('unreadOnly')).toBe('false');
  });
});

describe('typed errors', () => {
  it('403 NO_CONSENT is a NoConsentError, not retried', async () => {
    const integration = await apiServer((_req, res) =>
      json(res, 403, errorBody('Client has not granted consent to this therapist', 'NO_CONSENT'), { 'x-request-id': 'req_consent' }),
    );
    const error = (await integration.clients.progress('client_1').catch((e: unknown) => e)) as NoConsentError;
    expect(error).toBeInstanceOf(NoConsentError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 403, code: 'NO_CONSENT', requestId: 'req_consent', error: 'Client has not granted consent to this therapist' });
    expect(calls()).toHaveLength(1);
  });

  it('403 INSUFFICIENT_PERMISSION is an InsufficientPermissionError', async () => {
    const integration = await apiServer((_req, res) => json(res, 403, errorBody("Client's permission level is too low for this data", 'INSUFFICIENT_PERMISSION')));
    const error = (await integration.clients.sessionPrep('client_1').catch((e: unknown) => e)) as InsufficientPermissionError;
    expect(error).toBeInstanceOf(InsufficientPermissionError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).not.toBeInstanceOf(NoConsentError);
    expect(error).toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSION', requestId: 'req_test' });
  });

  it('a plain 403 (IP not allowed) stays a PermissionDeniedError', async () => {
    const integration = await apiServer((_req, res) => json(res, 403, errorBody('IP address not allowed', 'FORBIDDEN')));
    const error = await integration.outcomes.retrieve().catch((e: unknown) => e);
    expect((error as object).constructor).toBe(PermissionDeniedError);
  });

  it('429 RATE_LIMITED is retried, then surfaces as a RateLimitError with retryAfter', async () => {
    const integration = await apiServer((_req, res) =>
      json(res, 429, errorBody('Rate limit exceeded', 'RATE_LIMITED', { retryAfter: 45 }), { 'retry-after-ms': '5', 'x-request-id': 'req_limited' }),
    );
    const error = (await integration.clients.list({ maxRetries: 2 }).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: 'req_limited' });
    // The header (5 ms) is what was honoured between attempts; the body's 45 s is what the seed documents.
    expect(error.retryAfter).toBe(0.005);
    expect(error.body).toMatchObject({ retryAfter: 45 });
    expect(calls()).toHaveLength(3);
  });

  it('retryAfter falls back to the body when the server sends no header', async () => {
    const integration = await apiServer((_req, res) => json(res, 429, errorBody('Rate limit exceeded', 'RATE_LIMITED', { retryAfter: 45 })));
    const error = (await integration.alerts.list({}, { maxRetries: 0 }).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(45);
  });
});

describe('admin.integration', () => {
  it('each method sends its admin route with the staff token', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/auth/login') return json(res, 200, { access_token: 'staff-tok', token_type: 'bearer', expires_in: 3600, user: {} });
      json(res, req.method === 'POST' ? 201 : 200, {});
    });
    const careos = new CareOS({ ...fastRetries, baseURL: server.url, staffEmail: 'admin@example.com', staffPassword: 'pw' });
    const admin = careos.admin.integration;
    await admin.partners.list();
    await admin.partners.create({ name: 'SuperTool' });
    await admin.partners.update('ipart_1', { status: 'suspended' });
    await admin.partners.createKey('ipart_1', { revoke_existing: true });
    await admin.therapists.create({ first_name: 'Ada', last_name: 'Lovelace', email: 'Ada@Example.com' });
    await admin.therapists.update('ther_1', { active: false });
    await admin.clients.create({ first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' });
    await admin.couples.create({ partner1_id: 'c1', partner2_id: 'c2' });
    await admin.links.create({ therapist_id: 'ther_1', client_id: 'c1', permission_level: 'STANDARD' });
    await admin.links.update('link_1', { consent: 'revoked' });
    await admin.alerts.create({ therapist_id: 'ther_1', client_id: 'c1', alert_type: 'CRISIS', severity: 'CRITICAL', message: 'Safety plan' });
    await careos.close();
    const sent = server.requests.filter((r) => r.url !== '/auth/login');
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /admin/integration/partners',
      'POST /admin/integration/partners',
      'PATCH /admin/integration/partners/ipart_1',
      'POST /admin/integration/partners/ipart_1/keys',
      'POST /admin/integration/therapists',
      'PATCH /admin/integration/therapists/ther_1',
      'POST /admin/integration/clients',
      'POST /admin/integration/couples',
      'POST /admin/integration/links',
      'PATCH /admin/integration/links/link_1',
      'POST /admin/integration/alerts',
    ]);
    expect(sent.every((r) => r.headers.authorization === 'Bearer staff-tok')).toBe(true);
    const body = (i: number) => JSON.parse(sent[i]?.body.toString() ?? '{}') as Record<string, unknown>;
    expect(body(2)).toEqual({ status: 'suspended' });
    expect(body(4)).toMatchObject({ email: 'ada@example.com', active: true });
    expect(body(9)).toEqual({ consent: 'revoked' });
    expect(body(10)).toMatchObject({ alert_type: 'CRISIS', metadata: {} });
  });

  it('links.update needs a permission level or a consent change', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const careos = new CareOS({ ...fastRetries, baseURL: server.url, staffToken: 'staff-tok' });
    await expect(careos.admin.integration.links.update('link_1', {})).rejects.toBeInstanceOf(RequestValidationError);
    await careos.close();
    expect(server.requests).toHaveLength(0);
  });
});
