import { afterEach, describe, expect, it } from 'vitest';
import { CareOS, CareOSIntegration, RequestValidationError } from '../src/index.js';
import { fastRetries, partner } from './helpers/fixtures.js';
import { AUTH_PATH, bearer, integrationCredentials as creds } from './helpers/integration.js';
import { json, startServer, type RecordedRequest, type TestServer } from './helpers/server.js';

const endpoint = (n: number) => ({
  id: `whep_${n}`,
  url: `https://example.com/hooks/${n}`,
  events: ['payment.paid'],
  owner_kind: 'partner',
  created_at: '2026-02-12T10:00:00Z',
});

let server: TestServer;
const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const client of closers.splice(0)) await client.close();
  await server?.close();
});

/** Records every request; answers the token exchange, pages of endpoints by offset, and `{}` otherwise. */
async function recordingServer() {
  server = await startServer((req, res) => {
    if (req.url === AUTH_PATH) return json(res, 200, { token: 'tok1', expiresIn: 3600, tokenType: 'Bearer' });
    if (req.url.startsWith('/api/partner/webhooks?')) {
      const cursor = Number(new URL(req.url, 'http://x').searchParams.get('cursor') ?? 0);
      return json(res, 200, { webhooks: [endpoint(cursor), endpoint(cursor + 1)], next_cursor: cursor < 2 ? String(cursor + 2) : null });
    }
    if (req.url.startsWith('/admin/webhooks/endpoints')) return json(res, 200, { webhooks: [endpoint(9)], next_cursor: null });
    if (req.url.startsWith('/admin/webhooks/deliveries?')) return json(res, 200, { deliveries: [], next_cursor: null });
    json(res, req.method === 'POST' ? 201 : 200, { webhookSecret: 'whsec_c2VjcmV0', secret: 'whsec_c2VjcmV0' });
  });
  return server;
}

const sent = () => server.requests.filter((r) => r.url !== AUTH_PATH);
const body = (r: RecordedRequest | undefined) => JSON.parse(r?.body.toString() ?? '{}') as Record<string, unknown>;

describe('integration.webhooks.register', () => {
  it('posts the URL and events with the integration token and an Idempotency-Key', async () => {
    await recordingServer();
    const integration = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: server.url });
    closers.push(integration);
    const result = await integration.webhooks.register({ webhookUrl: 'https://api.supertool.com/api/webhooks/loverescue', events: ['alert.created', 'alert.critical'] });
    expect(result.webhookSecret).toBe('whsec_c2VjcmV0');
    const [request] = sent();
    expect(`${request?.method} ${request?.url}`).toBe('POST /api/integration/webhook/register');
    expect(bearer(request as RecordedRequest)).toBe('tok1');
    expect(request?.headers['idempotency-key']).toBeDefined();
    expect(body(request)).toEqual({ webhookUrl: 'https://api.supertool.com/api/webhooks/loverescue', events: ['alert.created', 'alert.critical'] });
  });

  it('refuses events that are not integration events, and URLs that are not http(s), before sending', async () => {
    await recordingServer();
    const integration = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: server.url });
    closers.push(integration);
    await expect(integration.webhooks.register({ webhookUrl: 'https://example.com/h', events: ['payment.paid' as 'alert.created'] })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(integration.webhooks.register({ webhookUrl: 'ftp://example.com/h', events: ['alert.created'] })).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('partner.webhooks', () => {
  it('create sends every partner event by default; list walks every page', async () => {
    await recordingServer();
    const client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    closers.push(client);
    await client.partner.webhooks.create({ url: 'https://businessos.example/hooks/careos' });
    expect(body(sent()[0])).toEqual({ url: 'https://businessos.example/hooks/careos', events: ['payment.paid'] });
    expect(sent()[0]?.headers['x-api-key']).toBe(partner.apiKey);
    const ids: string[] = [];
    for await (const webhook of client.partner.webhooks.list({ limit: 2 })) ids.push(webhook.id);
    expect(ids).toEqual(['whep_0', 'whep_1', 'whep_2', 'whep_3']);
    expect(sent().slice(1).map((r) => r.url)).toEqual(['/api/partner/webhooks?limit=2', '/api/partner/webhooks?limit=2&cursor=2']);
  });
});

describe('admin.webhooks', () => {
  it('each method sends its admin route', async () => {
    await recordingServer();
    server.requests.length = 0;
    const client = new CareOS({ ...fastRetries, baseURL: server.url, staffToken: 'staff-tok' });
    closers.push(client);
    expect((await client.admin.webhooks.endpoints.list({ owner_kind: 'integration' })).data.map((w) => w.id)).toEqual(['whep_9']);
    expect((await client.admin.webhooks.deliveries.list({ status: 'failed', limit: 10 })).data).toEqual([]);
    await client.admin.webhooks.deliveries.retrieve('whmsg_1');
    await client.admin.webhooks.deliveries.redeliver('whmsg_1');
    await client.admin.webhooks.trigger({ event: 'alert.created', therapist_id: 'ther_1' });
    await expect(client.admin.webhooks.trigger({ event: 'payment.paid' })).rejects.toBeInstanceOf(RequestValidationError);
    expect(sent().map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /admin/webhooks/endpoints?limit=100&owner_kind=integration',
      'GET /admin/webhooks/deliveries?limit=10&status=failed',
      'GET /admin/webhooks/deliveries/whmsg_1',
      'POST /admin/webhooks/deliveries/whmsg_1/redeliver',
      'POST /admin/sandbox/webhooks/trigger',
    ]);
    expect(sent().every((r) => r.headers.authorization === 'Bearer staff-tok')).toBe(true);
    expect(body(sent()[4])).toEqual({ event: 'alert.created', therapist_id: 'ther_1' });
  });
});
