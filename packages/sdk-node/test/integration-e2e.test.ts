// The integration client end to end against the real reference server (in-process, in-memory
// PGlite, demo data): the seed's onboarding checklist from the partner's side, plus the consent
// and permission cases the demo caseload covers. The server's clock can be moved, which is how
// its tokens are made to expire while the client still believes in them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer, type DemoCredentials, type RunningServer } from '@careos/server-reference';
import { verify } from '@careos/webhook-verifier';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CareOS,
  CareOSIntegration,
  InsufficientPermissionError,
  NoConsentError,
  NotFoundError,
  PermissionDeniedError,
  type AttemptInfo,
  type TherapistAlert,
} from '../src/index.js';
import { startServer as startReceiver, type RecordedRequest, type TestServer } from './helpers/server.js';

const MINUTE = 60_000;

let server: RunningServer;
let demo: DemoCredentials['integration'];
let integration: CareOSIntegration;
let admin: CareOS;
/** The partner's webhook receiver. */
let receiver: TestServer;
/** How far the server's clock runs ahead of the real one, ms. */
let serverClockAhead = 0;
const attempts: AttemptInfo[] = [];
const exchanges = () => attempts.filter((a) => a.routeId === 'createIntegrationToken');

beforeAll(async () => {
  server = await startServer({
    port: 0,
    dataDir: 'memory',
    seed: 'demo',
    logger: false,
    // The default budget (100 requests per minute per key) is the seed's; the burst tests below send more.
    env: { CAREOS_RATE_LIMIT_INTEGRATION: '100000' },
    clock: { now: () => new Date(Date.now() + serverClockAhead) },
  });
  const credentials = server.demoCredentials;
  if (credentials === undefined) throw new Error('the demo seed wrote no credentials');
  demo = credentials.integration;
  integration = new CareOSIntegration({
    apiKey: demo.apiKey,
    apiSecret: demo.apiSecret,
    therapistId: demo.therapistId,
    baseURL: server.url,
    env: {},
    // Every response is checked against the contract too: the SDK's types are only as true as the server's answers.
    validateResponses: true,
    hooks: { onAttempt: (info) => attempts.push(info) },
  });
  admin = new CareOS({ baseURL: server.url, staffEmail: credentials.admin.email, staffPassword: credentials.admin.password, env: {} });
  receiver = await startReceiver((_req, res) => {
    res.writeHead(200).end();
  });
}, 60_000);

afterAll(async () => {
  await integration?.close();
  await admin?.close();
  await server?.close();
  await receiver?.close();
});

describe('onboarding checklist against the reference server', () => {
  it('step 4: authenticates with the key and secret, once, and reads the consented caseload', async () => {
    const { clients, total } = await integration.clients.list();
    expect(exchanges()).toHaveLength(1);
    expect(total).toBe(clients.length);
    const ids = clients.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([demo.clients.basic, demo.clients.standard, demo.clients.full]));
    expect(ids).not.toContain(demo.clients.noConsent);
    const token = await integration.auth.token();
    expect(token.split('.')).toHaveLength(3);
    await integration.outcomes.retrieve();
    expect(exchanges()).toHaveLength(1);
  });

  let webhookSecret: string;

  it('step 5: registers a webhook URL and gets its secret, once', async () => {
    const events = ['alert.created', 'alert.critical', 'milestone.achieved'] as const;
    const registered = await integration.webhooks.register({ webhookUrl: `${receiver.url}/careos`, events: [...events] });
    expect(registered).toMatchObject({ message: 'Webhook registered successfully', webhookUrl: `${receiver.url}/careos`, events });
    expect(registered.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(registered.webhookId).toMatch(/^whep_/);
    webhookSecret = registered.webhookSecret;
    // Registration went out with the cached token: no second exchange.
    expect(exchanges()).toHaveLength(1);
  });

  it('step 6: the stored secret verifies the deliveries that follow', async () => {
    const { alert } = await admin.admin.integration.alerts.create({
      therapist_id: demo.therapistId,
      client_id: demo.clients.standard,
      alert_type: 'CRISIS',
      severity: 'CRITICAL',
      message: 'Crisis pathway triggered — safety plan activation recommended',
    });
    const deliveries = () => receiver.requests.filter((r) => r.url === '/careos');
    const received = await vi.waitFor(
      () => {
        const found = deliveries().filter((r) => JSON.parse(r.body.toString()).alertId === alert.id);
        // A CRITICAL alert is both alert.created and alert.critical.
        expect(found.map((r) => r.headers['x-careos-event']).sort()).toEqual(['alert.created', 'alert.critical']);
        return found;
      },
      { timeout: 15_000, interval: 50 },
    );
    for (const delivery of received as RecordedRequest[]) {
      // Standard Webhooks signature, with the verifier partners are pointed to (timestamps are the server's clock).
      const text = verify(delivery.body, delivery.headers, webhookSecret, { now: new Date(Date.now() + serverClockAhead) });
      expect(JSON.parse(text)).toMatchObject({ alertId: alert.id, clientId: demo.clients.standard, severity: 'CRITICAL' });
      // And the seed's own receiver code (hex HMAC-SHA256 of the raw body, keyed by the secret string).
      const expected = createHmac('sha256', webhookSecret).update(delivery.body).digest('hex');
      const signature = String(delivery.headers['x-loverescue-signature']);
      expect(timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(expected, 'hex'))).toBe(true);
      // A different secret must not verify: the check above is not vacuous.
      expect(() => verify(delivery.body, delivery.headers, `whsec_${Buffer.alloc(32, 1).toString('base64')}`, { now: new Date(Date.now() + serverClockAhead) })).toThrow();
    }
  });

  it('step 7: when the server says TOKEN_EXPIRED, 100 concurrent calls cause exactly one exchange and all succeed', async () => {
    const before = exchanges().length;
    const sentBefore = attempts.length;
    serverClockAhead += 61 * MINUTE; // past the token's hour on the server; the client still thinks it has most of it
    const results = await Promise.all(Array.from({ length: 100 }, () => integration.clients.list()));
    expect(results.every((r) => r.total === results[0]?.total)).toBe(true);
    expect(exchanges().length - before).toBe(1);
    const calls = attempts.slice(sentBefore).filter((a) => a.routeId === 'listIntegrationClients');
    // Each call: one refusal with the old token, one replay with the new one.
    expect(calls.filter((a) => a.status === 401)).toHaveLength(100);
    expect(calls.filter((a) => a.status === 200)).toHaveLength(100);
    expect(calls.filter((a) => a.status === 401).every((a) => a.error?.name === 'TokenExpiredError' && a.willRetry)).toBe(true);
  });
});

describe('consent and permission levels against the reference server', () => {
  it('progress is filtered by permission level', async () => {
    const basic = await integration.clients.progress(demo.clients.basic);
    const standard = await integration.clients.progress(demo.clients.standard);
    const full = await integration.clients.progress(demo.clients.full);
    expect(basic).toMatchObject({ clientId: demo.clients.basic, permissionLevel: 'BASIC' });
    expect(basic.moodTrends).toBeUndefined();
    expect(standard.moodTrends?.length).toBeGreaterThan(0);
    expect(standard.journalEntries).toBeUndefined();
    expect(full.journalEntries).toBeDefined();
  });

  it('session prep needs STANDARD: InsufficientPermissionError at BASIC', async () => {
    const { report } = await integration.clients.sessionPrep(demo.clients.standard, { lastSessionDate: new Date(Date.now() + serverClockAhead - 7 * 24 * 60 * MINUTE) });
    expect(report.clientId).toBe(demo.clients.standard);
    const error = (await integration.clients.sessionPrep(demo.clients.basic).catch((e: unknown) => e)) as InsufficientPermissionError;
    expect(error).toBeInstanceOf(InsufficientPermissionError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.code).toBe('INSUFFICIENT_PERMISSION');
    expect(error.requestId).toEqual(expect.any(String));
  });

  it('a client without consent is NoConsentError, and revoking consent takes effect on the next call', async () => {
    await expect(integration.clients.progress(demo.clients.noConsent)).rejects.toBeInstanceOf(NoConsentError);

    const link = (await integration.clients.list()).clients.find((c) => c.id === demo.clients.full);
    expect(link).toBeDefined();
    await admin.admin.integration.links.update(link?.linkId as string, { consent: 'revoked' });
    const error = (await integration.clients.progress(demo.clients.full).catch((e: unknown) => e)) as NoConsentError;
    expect(error).toBeInstanceOf(NoConsentError);
    expect(error).toMatchObject({ status: 403, code: 'NO_CONSENT', error: 'Client has not granted consent to this therapist' });

    await admin.admin.integration.links.update(link?.linkId as string, { consent: 'granted' });
    await expect(integration.clients.progress(demo.clients.full)).resolves.toMatchObject({ clientId: demo.clients.full });
  });

  it('couple dynamics withhold the side of a partner who has not consented', async () => {
    const both = await integration.couples.dynamics(demo.coupleId);
    expect(both.withheld).toEqual([]);
    expect(both.partner1).not.toBeNull();
    const partial = await integration.couples.dynamics(demo.partialCoupleId);
    expect(partial.withheld).toHaveLength(1);
    expect(partial.coupleProfile).toBeNull();
  });

  it('assign creates a task for a consented client', async () => {
    const { message, task } = await integration.clients.assign(demo.clients.basic, {
      taskDescription: 'Complete the Gottman Love Map exercise',
      module: 'gottman_love_maps',
      activities: ['love_map_quiz'],
      dueDate: '2026-02-19',
      priority: 'high',
    });
    expect(message).toBe('Activity assigned');
    expect(task).toMatchObject({ description: 'Complete the Gottman Love Map exercise', priority: 'high', status: 'pending' });
  });
});

describe('alerts against the reference server', () => {
  it('the iterator walks every page of a filtered list', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { alert } = await admin.admin.integration.alerts.create({
        therapist_id: demo.therapistId,
        client_id: demo.clients.standard,
        alert_type: 'MILESTONE',
        severity: 'LOW',
        message: `Streak of ${7 * (i + 1)} days`,
      });
      created.push(alert.id);
    }
    const query = { type: 'MILESTONE', unreadOnly: true, limit: 2 } as const;
    const first = await integration.alerts.list(query);
    const { total } = first.body as { total: number };
    expect(total).toBeGreaterThanOrEqual(5);
    expect(first.data).toHaveLength(2);

    const sentBefore = attempts.length;
    const seen: TherapistAlert[] = [];
    for await (const alert of integration.alerts.list(query)) seen.push(alert);
    // `total` counts every match across pages: the iterator must have fetched them all, once each.
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((a) => a.id)).size).toBe(total);
    expect(seen.map((a) => a.id)).toEqual(expect.arrayContaining(created));
    expect(seen.every((a) => a.alertType === 'MILESTONE' && a.readAt === null)).toBe(true);
    const pages = attempts.slice(sentBefore).filter((a) => a.routeId === 'listTherapistAlerts').length;
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(total / 2));
  });
});

describe('webhook removal against the reference server', () => {
  it('remove() stops deliveries to the endpoint, leaves it disabled in the admin list, and a second remove is NotFoundError', async () => {
    const { webhookId } = await integration.webhooks.register({ webhookUrl: `${receiver.url}/removed`, events: ['alert.created'] });
    const removed = await integration.webhooks.remove(webhookId);
    expect(removed).toMatchObject({ id: webhookId, url: `${receiver.url}/removed`, disabled_at: expect.any(String) });
    await expect(integration.webhooks.remove(webhookId)).rejects.toBeInstanceOf(NotFoundError);

    const listed: string[] = [];
    for await (const endpoint of admin.admin.webhooks.endpoints.list({ owner_kind: 'integration' })) if (endpoint.id === webhookId) listed.push(endpoint.disabled_at ?? 'live');
    expect(listed).toEqual([removed.disabled_at]);

    // The still-registered /careos endpoint receives the next alert; the removed one must not.
    const { alert } = await admin.admin.integration.alerts.create({
      therapist_id: demo.therapistId,
      client_id: demo.clients.standard,
      alert_type: 'RISK',
      severity: 'MEDIUM',
      message: 'Missed two check-ins',
    });
    await vi.waitFor(() => expect(receiver.requests.some((r) => r.url === '/careos' && JSON.parse(r.body.toString()).alertId === alert.id)).toBe(true), {
      timeout: 15_000,
      interval: 50,
    });
    expect(receiver.requests.filter((r) => r.url === '/removed')).toEqual([]);
  });
});
