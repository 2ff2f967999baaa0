import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { INTEGRATION_WEBHOOK_EVENTS, WebhookDeliveryDetail, WebhookEvent, type IntegrationWebhookEventType } from '@careos/contract';
import { verify } from '@careos/webhook-verifier';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { integrationToken, withToken } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';
import { eventually, startReceiver, type ReplyFn, type WebhookReceiver } from './helpers/webhook-receiver.js';

const keys = generateTestKeys();
const ADMIN = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };
const partner = (platform: string): PartnerFixture => ({ platform, apiKey: `${platform}_test_Wq8Lz2Xc5Vb9Nm3Kj7Hg1Fd4`, salt: `${platform}-salt-0001` });
/** One lead partner per test that needs partner endpoints, so no test sees another's events. */
const PAYER = partner('payer');
const REGISTRAR = partner('registrar');
/** Tiny delays so five attempts take a fraction of a second. */
const FAST_SCHEDULE = '0,0.05,0.05,0.05,0.05';

const env = () => testEnv({ keys, partners: [PAYER, REGISTRAR], extra: { ...ADMIN, CAREOS_WEBHOOK_RETRY_SCHEDULE: FAST_SCHEDULE } });

/** The seed's verification snippet, verbatim (LoveRescue integration API §3). */
function verifySignature(rawBody: string, signature: string, secret: string) {
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(expected, 'hex'));
}

describe.each(backendNames())('webhook delivery (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: env() });
    const login = await call(server.url, 'POST', '/auth/login', { json: { email: ADMIN.CAREOS_ADMIN_EMAIL, password: ADMIN.CAREOS_ADMIN_PASSWORD } });
    admin = { authorization: `Bearer ${login.body.access_token}` };
  });
  afterAll(async () => {
    await server?.close();
    for (const receiver of receivers) await receiver.close();
    await backend?.dispose();
  });

  const receiver = async (reply?: ReplyFn) => {
    const started = await startReceiver(reply);
    receivers.push(started);
    return started;
  };
  /** An integration endpoint of a therapist nobody else uses. */
  const therapistEndpoint = async (url: string, events: readonly IntegrationWebhookEventType[] = INTEGRATION_WEBHOOK_EVENTS) => {
    const therapistId = `th_${randomBytes(6).toString('hex')}`;
    const { endpoint, secret } = await server.app.services.webhookEndpoints.register({ kind: 'integration', partnerId: 'ipt_webhook_tests', therapistId }, url, events);
    return { therapistId, endpoint, secret };
  };
  const trigger = (body: Record<string, unknown>, on: TestApp = server) => call(on.url, 'POST', '/admin/sandbox/webhooks/trigger', { json: body, headers: admin });
  const detail = async (deliveryId: string) => {
    const res = await call(server.url, 'GET', `/admin/webhooks/deliveries/${deliveryId}`, { headers: admin });
    expect(res.status).toBe(200);
    return WebhookDeliveryDetail.parse(res.body);
  };
  /** The deliveries among `ids` that went to `url`, by id. */
  const deliveriesTo = async (url: string, ids: readonly string[]) => {
    const all = await Promise.all(ids.map(detail));
    return all.filter((d) => d.url === url).map((d) => d.id);
  };
  const settled = (deliveryId: string) => eventually(async () => {
    const d = await detail(deliveryId);
    return d.status !== 'pending' && d;
  });

  it('retries a receiver answering 500, 500, then 200: same webhook-id and body each time, history 500, 500, 200', async () => {
    const hook = await receiver((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const { therapistId } = await therapistEndpoint(hook.url);
    const res = await trigger({ event: 'alert.created', therapist_id: therapistId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ event: 'alert.created', delivery_ids: [expect.stringMatching(/^whmsg_/)] });
    const [deliveryId] = res.body.delivery_ids as string[];

    const requests = await hook.waitFor(3);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([deliveryId, deliveryId, deliveryId]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    const delivery = await settled(deliveryId!);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null, next_attempt_at: null, url: hook.url });
    expect(delivery.attempt_history.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(delivery.attempt_history[0]!.error).toBe('HTTP 500');
    expect(hook.received).toHaveLength(3);
  });

  it('signs every delivery so that our verifier, the standardwebhooks package and the seed’s own snippet all accept it', async () => {
    const hook = await receiver();
    const { therapistId, secret } = await therapistEndpoint(hook.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    for (const event of ['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked']) {
      expect((await trigger({ event, therapist_id: therapistId })).status).toBe(200);
    }
    const requests = await hook.waitFor(4);
    for (const request of requests) {
      const h = request.headers;
      expect(verify(request.body, h, secret)).toBe(request.body);
      expect(() => new Webhook(secret).verify(request.body, h as Record<string, string>)).not.toThrow();
      expect(verifySignature(request.body, String(h['x-careos-signature']), secret)).toBe(true);
      expect(verifySignature(request.body, String(h['x-loverescue-signature']), secret)).toBe(true);
      expect(() => verify(request.body, h, `whsec_${randomBytes(32).toString('base64')}`)).toThrow();

      const event = WebhookEvent.parse(JSON.parse(request.body));
      expect(event).toMatchObject({ therapistId });
      expect(h['content-type']).toBe('application/json');
      expect(h['user-agent']).toMatch(/^CareOS-Webhooks\/\d+\.\d+\.\d+/);
      expect(h['x-careos-event']).toBe(event.type);
      expect(h['x-loverescue-event']).toBe(event.type);
      // Both schemes carry the attempt's time, so a retry hours later passes a tolerance check.
      expect(Math.floor(Date.parse(String(h['x-careos-timestamp'])) / 1000)).toBe(Number(h['webhook-timestamp']));
      expect(h['x-loverescue-timestamp']).toBe(h['x-careos-timestamp']);
      expect(Math.abs(Number(h['webhook-timestamp']) * 1000 - Date.now())).toBeLessThan(60_000);
    }
    expect(requests.map((r) => JSON.parse(r.body).type).sort()).toEqual(['alert.created', 'alert.critical', 'consent.revoked', 'milestone.achieved']);
    // The seed's payload fields, verbatim.
    const critical = JSON.parse(requests.find((r) => r.headers['x-careos-event'] === 'alert.critical')!.body);
    expect(Object.keys(critical)).toEqual(expect.arrayContaining(['alertId', 'clientId', 'alertType', 'severity', 'message', 'metadata', 'createdAt']));
    expect(critical).toMatchObject({ alertType: 'CRISIS', severity: 'CRITICAL' });
    // Neither the body nor the secret reaches the logs.
    const logs = server.logs.join('\n');
    expect(logs).not.toContain(secret.slice(6));
    expect(logs).not.toContain('safety plan activation');
  });

  it('honours Retry-After when it asks for longer than the schedule', async () => {
    const hook = await receiver((_req, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { therapistId } = await therapistEndpoint(hook.url);
    const [deliveryId] = (await trigger({ event: 'alert.created', therapist_id: therapistId })).body.delivery_ids;
    const [first, second] = await hook.waitFor(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    const delivery = await settled(deliveryId);
    expect(delivery.attempt_history.map((a) => a.status_code)).toEqual([503, 200]);
  });

  it('gives up after the fifth failure, marks the delivery failed and raises an ops alert without the payload', async () => {
    const hook = await receiver(() => ({ status: 500 }));
    const { therapistId, endpoint } = await therapistEndpoint(hook.url);
    const [deliveryId] = (await trigger({ event: 'consent.revoked', therapist_id: therapistId, client_id: 'client-gives-up' })).body.delivery_ids;
    const delivery = await settled(deliveryId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 5, next_attempt_at: null, last_status_code: 500 });
    expect(delivery.attempt_history.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(hook.received).toHaveLength(5);
    const alert = await eventually(async () => (await server.app.services.alerts.list({ type: 'webhook_failed' })).find((a) => a.context.delivery_id === deliveryId));
    expect(alert).toMatchObject({ severity: 'warning', context: { endpoint_id: endpoint.id, event: 'consent.revoked', attempts: 5, last_status_code: 500 } });
    expect(JSON.stringify(alert)).not.toContain('client-gives-up');

    const failed = await call(server.url, 'GET', `/admin/webhooks/deliveries?status=failed&endpoint=${endpoint.id}`, { headers: admin });
    expect(failed.body.deliveries.map((d: { id: string }) => d.id)).toEqual([deliveryId]);
  });

  it('redelivers on request, whatever the status: same id and body, a new series of attempts', async () => {
    const hook = await receiver();
    const { therapistId } = await therapistEndpoint(hook.url);
    const [deliveryId] = (await trigger({ event: 'milestone.achieved', therapist_id: therapistId })).body.delivery_ids;
    await settled(deliveryId);
    const res = await call(server.url, 'POST', `/admin/webhooks/deliveries/${deliveryId}/redeliver`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: deliveryId, status: 'pending', attempts: 0 });
    const [first, again] = await hook.waitFor(2);
    expect(again!.headers['webhook-id']).toBe(deliveryId);
    expect(again!.body).toBe(first!.body);
    const delivery = await settled(deliveryId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(delivery.attempt_history.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 200],
      [1, 200],
    ]);
    expect((await call(server.url, 'POST', '/admin/webhooks/deliveries/whmsg_nope/redeliver', { headers: admin })).status).toBe(404);
    expect((await call(server.url, 'GET', '/admin/webhooks/deliveries/whmsg_nope', { headers: admin })).status).toBe(404);
  });

  it('lets two instances on one database share the outbox: every attempt is sent exactly once', async () => {
    const second = await startApp({ db: backendName === 'postgres' ? await backend.open() : db, env: env() });
    try {
      const seen = new Map<string, number>();
      // Every delivery fails once, then succeeds: two attempts each.
      const hook = await receiver((req) => {
        const id = String(req.headers['webhook-id']);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return { status: seen.get(id) === 1 ? 500 : 200 };
      });
      const { therapistId } = await therapistEndpoint(hook.url);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await trigger({ event: 'alert.created', therapist_id: therapistId }, i % 2 ? second : server);
        ids.push(...res.body.delivery_ids);
      }
      await hook.waitFor(40);
      for (const id of ids) await settled(id);
      expect([...seen.keys()].sort()).toEqual([...ids].sort());
      expect([...seen.values()].every((n) => n === 2)).toBe(true);
      expect(hook.received).toHaveLength(40);
      const attempts = await query<{ delivery_id: string; n: number }>(
        db,
        `select delivery_id, count(*)::int as n from webhook_attempts where delivery_id in (${ids.map((id) => `'${id}'`).join(',')}) group by delivery_id`,
      );
      expect(attempts.every((row) => Number(row.n) === 2)).toBe(true);
      expect(attempts).toHaveLength(20);
      // Both instances took part (each is woken first by its own emits).
      for (const instance of [server, second]) expect(instance.logs.some((line) => line.includes('"msg":"webhook delivered"'))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('sends payment.paid to the lead partner in the transaction that marks its payments paid', async () => {
    const hook = await receiver();
    const created = await call(server.url, 'POST', '/api/partner/webhooks', { json: { url: hook.url }, headers: partnerHeaders(PAYER) });
    expect(created.status).toBe(201);
    expect(created.body.webhook).toMatchObject({ url: hook.url, events: ['payment.paid'], owner_kind: 'partner' });
    const secret: string = created.body.secret;
    const leadIds: string[] = [];
    for (const amount of [15, 12.5]) {
      const lead = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, partner: PAYER }, { lead_value_agreed: amount }), headers: partnerHeaders(PAYER) });
      expect(lead.status).toBe(200);
      leadIds.push(lead.body.careos_lead_id);
    }
    const run = await call(server.url, 'POST', '/admin/payments/process', {
      json: { partner: PAYER.platform, as_of: new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString() },
      headers: admin,
    });
    expect(run.status).toBe(200);
    const payout = run.body.payouts[0];
    const [request] = await hook.waitFor(1);
    expect(verify(request!.body, request!.headers, secret)).toBeTruthy();
    const event = WebhookEvent.parse(JSON.parse(request!.body));
    expect(event).toMatchObject({ type: 'payment.paid', payout_id: payout.id, partner: PAYER.platform, amount: 27.5, currency: 'USD' });
    if (event.type !== 'payment.paid') throw new Error('unreachable');
    expect([...event.lead_ids].sort()).toEqual([...leadIds].sort());
    expect(event.payment_ids).toHaveLength(2);
    const payments = await call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(PAYER) });
    expect(payments.body.payments.map((p: { id: string }) => p.id).sort()).toEqual([...event.payment_ids].sort());
    expect(payments.body.payments.every((p: { paid_at: string }) => p.paid_at === event.paid_at)).toBe(true);
    // A sandbox sample reaches the same endpoint.
    const sample = await trigger({ event: 'payment.paid', partner: PAYER.platform });
    expect(sample.body.delivery_ids).toHaveLength(1);
    await hook.waitFor(2);
  });

  it('validates registrations, shows each secret once, and re-registering a URL replaces its events and secret', async () => {
    const post = (json: unknown) => call(server.url, 'POST', '/api/partner/webhooks', { json, headers: partnerHeaders(REGISTRAR) });
    const bad: [unknown, string][] = [
      [{ url: 'ftp://example.com/hook' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://user:pass@example.com/hook' }, 'url'],
      [{ url: `https://example.com/${'a'.repeat(2100)}` }, 'url'],
      [{ url: 'https://example.com/hook', events: ['alert.created'] }, 'events.0'],
      [{ url: 'https://example.com/hook', events: [] }, 'events'],
      [{ events: ['payment.paid'] }, 'url'],
    ];
    for (const [json, path] of bad) {
      const res = await post(json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(res.body).toMatchObject({ error: path === 'url' && !('url' in (json as object)) ? 'Missing required fields: url' : 'Invalid request body', code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const sandbox = await trigger({ event: 'payment.paid' });
    expect(sandbox.status).toBe(400);
    expect(sandbox.body.details).toEqual([expect.objectContaining({ path: 'partner' })]);
    expect((await trigger({ event: 'alert.created' })).body.details).toEqual([expect.objectContaining({ path: 'therapist_id' })]);
    expect((await trigger({ event: 'payment.paid', partner: 'nosuchpartner' })).status).toBe(404);

    const hook = await receiver();
    const first = await post({ url: hook.url, events: ['payment.paid', 'payment.paid'] });
    expect(first.status).toBe(201);
    expect(first.body.webhook.events).toEqual(['payment.paid']);
    const again = await post({ url: hook.url });
    expect(again.status).toBe(201);
    expect(again.body.webhook.id).toBe(first.body.webhook.id);
    expect(again.body.secret).not.toBe(first.body.secret);

    const listed = await call(server.url, 'GET', '/api/partner/webhooks', { headers: partnerHeaders(REGISTRAR) });
    expect(listed.status).toBe(200);
    expect(listed.body.webhooks).toEqual([again.body.webhook]);
    const all = await call(server.url, 'GET', '/admin/webhooks/endpoints?owner_kind=partner', { headers: admin });
    expect(all.body.webhooks.map((w: { id: string }) => w.id)).toContain(first.body.webhook.id);
    for (const text of [listed.text, all.text]) expect(text).not.toContain('whsec_');
    const [stored] = await query<{ secret_ciphertext: string }>(db, `select secret_ciphertext from webhook_endpoints where id = '${first.body.webhook.id}'`);
    expect(stored!.secret_ciphertext).not.toContain(again.body.secret.slice(6, 20));
    // Other partners see none of it.
    expect((await call(server.url, 'GET', '/api/partner/webhooks', { headers: partnerHeaders(PAYER) })).body.webhooks.map((w: { url: string }) => w.url)).not.toContain(hook.url);

    // Only the newest secret verifies.
    await trigger({ event: 'payment.paid', partner: REGISTRAR.platform });
    const [request] = await hook.waitFor(1);
    expect(() => verify(request!.body, request!.headers, first.body.secret)).toThrow();
    expect(verify(request!.body, request!.headers, again.body.secret)).toBe(request!.body);
  });

  it('registers through a therapist’s integration token with the seed’s request and response, and a real alert reaches it', async () => {
    const creds = (await server.app.seedDemo()).integration;
    const api = withToken(server, await integrationToken(server, creds));
    const hook = await receiver();
    const seedRequest = { webhookUrl: hook.url, events: ['alert.created', 'alert.critical', 'milestone.achieved'] };
    const res = await api('POST', '/api/integration/webhook/register', { json: seedRequest });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Webhook registered successfully',
      webhookId: expect.stringMatching(/^whep_/),
      webhookUrl: hook.url,
      webhookSecret: expect.stringMatching(/^whsec_/),
      events: seedRequest.events,
    });
    const secret: string = res.body.webhookSecret;

    for (const [json, error] of [
      [{ webhookUrl: 'javascript:alert(1)', events: ['alert.created'] }, 'Invalid request body'],
      [{ webhookUrl: hook.url, events: ['payment.paid'] }, 'Invalid request body'],
      [{ webhookUrl: hook.url, events: ['alert.deleted'] }, 'Invalid request body'],
      [{}, 'Missing required fields: webhookUrl or events'],
    ] as const) {
      const bad = await api('POST', '/api/integration/webhook/register', { json });
      expect(bad.status, JSON.stringify(json)).toBe(400);
      expect(bad.body).toMatchObject({ error, code: 'VALIDATION_FAILED' });
    }
    expect((await call(server.url, 'POST', '/api/integration/webhook/register', { json: seedRequest })).status).toBe(401);

    // A real CRISIS alert about a consented client: alert.created and alert.critical, both signed.
    const fired = await trigger({ event: 'alert.critical', therapist_id: creds.therapistId, client_id: creds.clients.standard });
    expect(fired.status).toBe(200);
    expect(fired.body.delivery_ids).toHaveLength(2);
    const requests = await hook.waitFor(2);
    const events = requests.map((r) => WebhookEvent.parse(JSON.parse(verify(r.body, r.headers, secret))));
    expect(events.map((e) => e.type).sort()).toEqual(['alert.created', 'alert.critical']);
    const alertIds = new Set(events.map((e) => ('alertId' in e ? e.alertId : null)));
    expect(alertIds.size).toBe(1);
    const alerts = await api('GET', '/api/integration/alerts?type=CRISIS');
    expect(alerts.body.alerts.map((a: { id: string }) => a.id)).toContain([...alertIds][0]);

    // Registering the URL again keeps one endpoint and replaces its secret.
    const again = await api('POST', '/api/integration/webhook/register', { json: { webhookUrl: hook.url, events: ['consent.revoked'] } });
    expect(again.body.webhookSecret).not.toBe(secret);
    const endpoints = await call(server.url, 'GET', '/admin/webhooks/endpoints?owner_kind=integration', { headers: admin });
    expect(endpoints.body.webhooks.filter((w: { url: string }) => w.url === hook.url)).toEqual([
      expect.objectContaining({ events: ['consent.revoked'], owner_id: creds.partnerId, therapist_id: creds.therapistId }),
    ]);
  });

  it('removes an integration endpoint for its own therapist only: pending retries fail, nothing more is sent, a second delete is 404', async () => {
    const creds = (await server.app.seedDemo()).integration;
    const api = withToken(server, await integrationToken(server, creds));
    // Fails and asks for an hour's pause, so its delivery is still pending (awaiting a retry) when the endpoint is removed.
    const hook = await receiver(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const registered = await api('POST', '/api/integration/webhook/register', { json: { webhookUrl: hook.url, events: ['consent.revoked'] } });
    const webhookId: string = registered.body.webhookId;
    const fired = await trigger({ event: 'consent.revoked', therapist_id: creds.therapistId });
    const pendingId = (await deliveriesTo(hook.url, fired.body.delivery_ids))[0]!;
    await hook.waitFor(1);
    // An attempt counts from when it starts; wait for its outcome.
    await eventually(async () => (await detail(pendingId)).last_status_code !== null);
    expect(await detail(pendingId)).toMatchObject({ status: 'pending', last_status_code: 503 });

    // Another partner's therapist's endpoint is 404 through this token; a lead partner cannot remove this one.
    const other = await therapistEndpoint(`${hook.url}/other`);
    expect((await api('DELETE', `/api/integration/webhook/${other.endpoint.id}`)).status).toBe(404);
    expect((await api('DELETE', '/api/integration/webhook/whep_nosuchendpoint')).status).toBe(404);
    const partnerTry = await call(server.url, 'DELETE', `/api/partner/webhooks/${webhookId}`, { headers: partnerHeaders(REGISTRAR) });
    expect(partnerTry.status).toBe(404);
    expect(partnerTry.body).toMatchObject({ error: 'Not found', code: 'NOT_FOUND' });
    expect((await call(server.url, 'DELETE', `/api/integration/webhook/${webhookId}`)).status).toBe(401);

    const removed = await api('DELETE', `/api/integration/webhook/${webhookId}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: webhookId, url: hook.url, therapist_id: creds.therapistId, disabled_at: expect.any(String) });
    expect(await detail(pendingId)).toMatchObject({ status: 'failed', next_attempt_at: null, last_error: 'endpoint removed' });
    const again = await api('DELETE', `/api/integration/webhook/${webhookId}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error: 'Not found', code: 'NOT_FOUND' });

    // New events are not queued for it, and a redelivery of the old one is abandoned, not sent.
    const received = hook.received.length;
    const later = await trigger({ event: 'consent.revoked', therapist_id: creds.therapistId });
    expect(await deliveriesTo(hook.url, later.body.delivery_ids)).toEqual([]);
    expect((await call(server.url, 'POST', `/admin/webhooks/deliveries/${pendingId}/redeliver`, { headers: admin })).status).toBe(200);
    expect(await settled(pendingId)).toMatchObject({ status: 'failed', last_error: 'endpoint removed' });
    await server.app.services.webhookWorker.idle();
    expect(hook.received).toHaveLength(received);

    // The admin list keeps it, disabled; the other therapist's endpoint is untouched.
    const all = await call(server.url, 'GET', '/admin/webhooks/endpoints?owner_kind=integration', { headers: admin });
    const byId = new Map(all.body.webhooks.map((w: { id: string; disabled_at: string | null }) => [w.id, w.disabled_at]));
    expect(byId.get(webhookId)).toBe(removed.body.disabled_at);
    expect(byId.get(other.endpoint.id)).toBeNull();
    // Registering the URL again brings the endpoint back.
    const back = await api('POST', '/api/integration/webhook/register', { json: { webhookUrl: hook.url, events: ['consent.revoked'] } });
    expect(back.body.webhookId).toBe(webhookId);
    expect((await api('DELETE', `/api/integration/webhook/${webhookId}`)).status).toBe(200);
  });

  it('removes a lead partner endpoint: gone from the partner list, kept with disabled_at for admins, 404 for other partners and the second time', async () => {
    const hook = await receiver();
    const created = await call(server.url, 'POST', '/api/partner/webhooks', { json: { url: hook.url }, headers: partnerHeaders(PAYER) });
    const id: string = created.body.webhook.id;
    const del = (who: PartnerFixture) => call(server.url, 'DELETE', `/api/partner/webhooks/${id}`, { headers: partnerHeaders(who) });

    expect((await del(REGISTRAR)).status).toBe(404);
    const removed = await del(PAYER);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id, owner_kind: 'partner', disabled_at: expect.any(String) });
    expect((await del(PAYER)).status).toBe(404);

    const listed = await call(server.url, 'GET', '/api/partner/webhooks', { headers: partnerHeaders(PAYER) });
    expect(listed.body.webhooks.map((w: { id: string }) => w.id)).not.toContain(id);
    const all = await call(server.url, 'GET', '/admin/webhooks/endpoints?owner_kind=partner', { headers: admin });
    expect(all.body.webhooks.find((w: { id: string }) => w.id === id)).toMatchObject({ disabled_at: removed.body.disabled_at });

    const paid = await trigger({ event: 'payment.paid', partner: PAYER.platform });
    expect(await deliveriesTo(hook.url, paid.body.delivery_ids)).toEqual([]);
    expect(hook.received).toHaveLength(0);
    await server.app.flush();
    const audits = await query<{ route: string; status: number }>(db, `select route, status from audit_log where subject_id = '${id}' and method = 'DELETE' order by id`);
    expect(audits.map((a) => [a.route, Number(a.status)])).toEqual([
      ['/api/partner/webhooks/{webhookId}', 404],
      ['/api/partner/webhooks/{webhookId}', 200],
      ['/api/partner/webhooks/{webhookId}', 404],
    ]);
  });

  it('lists deliveries newest first with filters and cursor pagination', async () => {
    const hook = await receiver();
    const { therapistId, endpoint } = await therapistEndpoint(hook.url, ['alert.created', 'consent.revoked']);
    const ids: string[] = [];
    for (const event of ['alert.created', 'consent.revoked', 'alert.created']) ids.push(...(await trigger({ event, therapist_id: therapistId })).body.delivery_ids);
    expect((await trigger({ event: 'alert.critical', therapist_id: therapistId })).body.delivery_ids).toEqual([]);
    for (const id of ids) await settled(id);

    const first = await call(server.url, 'GET', `/admin/webhooks/deliveries?endpoint=${endpoint.id}&limit=2`, { headers: admin });
    expect(first.body.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    const rest = await call(server.url, 'GET', `/admin/webhooks/deliveries?endpoint=${endpoint.id}&limit=2&cursor=${first.body.next_cursor}`, { headers: admin });
    expect(rest.body).toMatchObject({ deliveries: [{ id: ids[0], status: 'delivered', attempts: 1, event: 'alert.created' }], next_cursor: null });
    const revoked = await call(server.url, 'GET', `/admin/webhooks/deliveries?endpoint=${endpoint.id}&event=consent.revoked`, { headers: admin });
    expect(revoked.body.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
    expect((await call(server.url, 'GET', '/admin/webhooks/deliveries?status=lost', { headers: admin })).status).toBe(400);
    expect((await call(server.url, 'GET', '/admin/webhooks/deliveries', {})).status).toBe(401);
    // Bodies are the receiver's business, not the admin list's.
    expect(first.text).not.toContain('Mood has dropped');
  });
});

