import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Database } from '../src/index.js';
import { CalendarPush } from '../src/services/calendar/push.js';
import type { ServiceContext } from '../src/services/context.js';
import { startFakeGoogleOAuth, type FakeGoogleOAuth } from './fakes/google-oauth.js';
import { startFakeMicrosoftOAuth, type FakeMicrosoftOAuth } from './fakes/microsoft-oauth.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { calendarEnv } from './helpers/calendar.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { startPublicFront, type PublicFront } from './helpers/public-front.js';

const keys = generateTestKeys();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const googleTime = (d: Date) => ({ dateTime: d.toISOString(), timeZone: 'UTC' });

describe.each(backendNames())('calendar push notifications (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let google: FakeGoogleOAuth;
  let microsoft: FakeMicrosoftOAuth;
  let front: PublicFront;
  let server: TestApp;
  let env: NodeJS.ProcessEnv;
  let staff: { id: string; headers: Record<string, string> };
  let integrationId = '';
  let graphId = '';
  // Channels expire in the fake's real time: the server's clock starts there and is moved past it.
  const clock = new ManualClock(new Date());
  const email = `push-${backendName}@careos.test`;

  async function login(): Promise<void> {
    const res = await call(server.url, 'POST', '/auth/login', { json: { email, password: 'staff password 1' } });
    staff.headers = { authorization: `Bearer ${res.body.access_token as string}` };
  }
  const channelRows = (id = integrationId) => query<{ channel_id: string; resource_id: string; secret_enc: string; expires_at: Date }>(db, `select channel_id, resource_id, secret_enc, expires_at from calendar_push_channels where integration_id = '${id}'`);
  const storedIds = async (id = integrationId) => (await query<{ provider_event_id: string }>(db, `select provider_event_id from synced_calendar_events where integration_id = '${id}'`)).map((r) => r.provider_event_id);
  const deltaLists = () => microsoft.requests.filter((r) => r.method === 'GET' && r.path === '/v1.0/me/calendarView/delta').length;
  const eventLists = () => google.requests.filter((r) => r.method === 'GET' && r.path === '/calendar/v3/calendars/primary/events').length;
  /** Every channel token the fake was given: none may appear in a log line or an answer. */
  const tokens = () => [...google.watch.channels.map((c) => c.token!), ...microsoft.subscriptions.subscriptions.map((s) => s.clientState!)];

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    [google, microsoft, front] = await Promise.all([startFakeGoogleOAuth(), startFakeMicrosoftOAuth(), startPublicFront()]);
    microsoft.subscriptions.now = () => clock.now().getTime();
    env = testEnv({ keys, extra: { ...calendarEnv({ google: google.url, microsoft: microsoft.url }), CAREOS_PUBLIC_URL: front.url, CAREOS_CALENDAR_PUSH_ALLOW_HTTP: '1' } });
    server = await startApp({ db, env, clock });
    front.forwardTo(server.url);
    const account = await server.app.services.staff.create({ email, password: 'staff password 1', name: 'Push', role: 'staff' });
    staff = { id: account.id, headers: {} };
    await login();
    for (const provider of ['google', 'microsoft']) {
      const start = await call(server.url, 'GET', `/calendar/${provider}/connect`, { headers: staff.headers });
      const consent = await fetch(start.body.authUrl as string, { redirect: 'manual' });
      const location = new URL(consent.headers.get('location')!);
      expect((await call(server.url, 'GET', `${location.pathname}${location.search}`)).status).toBe(200);
    }
    const ids = await query<{ id: string; provider: string }>(db, `select id, provider from calendar_integrations where staff_id = '${staff.id}'`);
    integrationId = ids.find((r) => r.provider === 'google')!.id;
    graphId = ids.find((r) => r.provider === 'microsoft')!.id;
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([google?.close(), microsoft?.close(), front?.close()]);
    await backend?.dispose();
  });

  it('opens no channel without an https public URL, or an http one off loopback or without the flag', async () => {
    const services = server.app.services;
    const pushWith = (publicUrl: string | undefined, allowHttp: boolean) => {
      const config = loadConfig({ ...env, CAREOS_PUBLIC_URL: publicUrl, CAREOS_CALENDAR_PUSH_ALLOW_HTTP: allowHttp ? '1' : undefined });
      const ctx: ServiceContext = { db, clock, logger: server.app.logger, config, providers: {} as never, instanceId: 'other', phi: server.app.phi };
      return new CalendarPush(ctx, services.calendarTokens, services.calendarProviders, services.calendarSync);
    };
    expect(pushWith(undefined, true).publicOrigin()).toBeNull();
    expect(pushWith(front.url, false).publicOrigin()).toBeNull();
    expect(pushWith('http://careos.example.com', true).publicOrigin()).toBeNull();
    expect(pushWith('https://careos.example.com/', false).publicOrigin()).toBe('https://careos.example.com');
    expect(services.calendarPush.publicOrigin()).toBe(front.url);
    for (const push of [pushWith(undefined, false), pushWith(front.url, false)]) await push.maintain();
    expect(google.watch.channels).toEqual([]);
    expect(microsoft.subscriptions.subscriptions).toEqual([]);
    expect(await query(db, 'select 1 from calendar_push_channels')).toEqual([]);
  });

  it('opens a Google channel once the calendar is synced; its sync message changes nothing; polling is then less frequent', async () => {
    await server.app.services.calendarSyncWorker.runDue();
    expect(google.watch.live()).toHaveLength(1);
    const [channel] = google.watch.live();
    expect(channel).toMatchObject({ address: `${front.url}/webhooks/google/calendar` });
    expect(channel!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await channelRows();
    expect(row).toMatchObject({ channel_id: channel!.id, resource_id: channel!.resourceId });
    expect(row!.secret_enc).toMatch(/^v1\./);
    expect(row!.secret_enc).not.toContain(channel!.token);
    expect(new Date(row!.expires_at).getTime()).toBe(channel!.expiration);

    const before = eventLists();
    const confirmation = await google.watch.syncDeliveries[0]!;
    expect(confirmation.status).toBe(200);
    expect(JSON.parse(confirmation.body)).toEqual({ received: true, sync_scheduled: false });

    const [status] = await query<{ gap_ms: number }>(db, `select extract(epoch from (next_sync_at - last_synced_at)) * 1000 as gap_ms from calendar_sync_status where integration_id = '${integrationId}'`);
    expect(Number(status!.gap_ms)).toBe(6 * 300 * 1000);
    // A second round changes nothing: the channel is live.
    await server.app.services.calendarSyncWorker.runDue();
    expect(google.watch.channels).toHaveLength(1);
    expect(eventLists()).toBe(before);
  });

  it('refuses a wrong token or an unknown channel and syncs nothing; the right token syncs the change made at Google', async () => {
    google.calendar.add({ id: 'pushed1', summary: 'Moved by the client', start: googleTime(new Date(clock.now().getTime() + DAY)), end: googleTime(new Date(clock.now().getTime() + DAY + HOUR)) });
    const lists = eventLists();
    const [channel] = google.watch.live();
    const [wrong] = await google.watch.notify('exists', channel, { token: 'not-the-token' });
    const [unknown] = await google.watch.notify('exists', channel, { channelId: 'no-such-channel' });
    for (const refused of [wrong!, unknown!]) {
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'Invalid signature' });
    }
    const missing = await call(server.url, 'POST', '/webhooks/google/calendar', { headers: { 'x-goog-channel-id': channel!.id, 'x-goog-resource-state': 'exists' } });
    expect(missing.status).toBe(403);
    // Had a refused notification scheduled a sync, it would have run after the debounce (1 s).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventLists()).toBe(lists);
    expect(await storedIds()).not.toContain('pushed1');

    const delivered = await google.watch.notify('exists');
    expect(delivered.map((d) => [d.status, JSON.parse(d.body)])).toEqual([[200, { received: true, sync_scheduled: true }]]);
    await vi.waitFor(async () => expect(await storedIds()).toContain('pushed1'), { timeout: 15_000, interval: 100 });

    // Notifications close together make one sync.
    google.calendar.store.remove('pushed1');
    const lists2 = eventLists();
    await Promise.all([google.watch.notify('not_exists'), google.watch.notify('exists'), google.watch.notify('exists')]);
    await vi.waitFor(async () => expect(await storedIds()).not.toContain('pushed1'), { timeout: 15_000, interval: 100 });
    expect(eventLists() - lists2).toBe(1);

    const audited = await query<{ status: number }>(db, `select status from audit_log where route like '%/webhooks/google/calendar%'`);
    expect(audited.map((a) => Number(a.status))).toEqual(expect.arrayContaining([200, 403]));
  });

  it('subscribes at Graph after its validation handshake, which the server answers by echoing the token as text', async () => {
    const [subscription] = microsoft.subscriptions.live();
    expect(subscription).toMatchObject({ resource: 'me/events', changeType: 'created,updated,deleted', notificationUrl: `${front.url}/webhooks/microsoft/calendar`, lifecycleNotificationUrl: `${front.url}/webhooks/microsoft/calendar/lifecycle` });
    expect(Date.parse(subscription!.expirationDateTime) - clock.now().getTime()).toBeLessThanOrEqual(4230 * 60_000);
    expect(microsoft.subscriptions.validations.map((v) => [v.url, v.status])).toEqual([
      [subscription!.notificationUrl, 200],
      [subscription!.lifecycleNotificationUrl, 200],
    ]);
    const [row] = await channelRows(graphId);
    expect(row).toMatchObject({ channel_id: subscription!.id, resource_id: null });
    expect(row!.secret_enc).toMatch(/^v1\./);
    const echo = await fetch(`${server.url}/webhooks/microsoft/calendar?validationToken=${encodeURIComponent('Validation: a <b>token</b> & more')}`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    expect([echo.status, echo.headers.get('content-type'), await echo.text()]).toEqual([200, 'text/plain; charset=utf-8', 'Validation: a <b>token</b> & more']);
  });

  it('refuses a Graph notification with a wrong clientState or subscription; the right one syncs the change', async () => {
    const start = new Date(clock.now().getTime() + DAY);
    microsoft.calendar.add({ id: 'graphPushed1', subject: 'Outlook change', start, end: new Date(start.getTime() + HOUR) });
    const lists = deltaLists();
    const [subscription] = microsoft.subscriptions.live();
    const [wrong] = await microsoft.subscriptions.notify('graphPushed1', subscription, { clientState: 'not-the-state' });
    const [unknown] = await microsoft.subscriptions.notify('graphPushed1', subscription, { subscriptionId: 'no-such-subscription' });
    for (const refused of [wrong!, unknown!]) expect([refused.status, JSON.parse(refused.body).error]).toEqual([403, 'Invalid signature']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(deltaLists()).toBe(lists);

    const [delivered] = await microsoft.subscriptions.notify('graphPushed1');
    expect([delivered!.status, delivered!.body]).toEqual([200, '']);
    await vi.waitFor(async () => expect(await storedIds(graphId)).toContain('graphPushed1'), { timeout: 15_000, interval: 100 });
  });

  it('acts on Graph lifecycle events: reauthorizationRequired renews, subscriptionRemoved subscribes again, missed syncs', async () => {
    const [subscription] = microsoft.subscriptions.live();
    const before = subscription!.expirationDateTime;
    clock.advance(HOUR);
    expect((await microsoft.subscriptions.lifecycle('reauthorizationRequired', subscription!)).status).toBe(200);
    await vi.waitFor(() => expect(subscription!.expirationDateTime > before).toBe(true), { timeout: 15_000, interval: 50 });
    await vi.waitFor(async () => expect(new Date((await channelRows(graphId))[0]!.expires_at).toISOString().slice(0, 19)).toBe(subscription!.expirationDateTime.slice(0, 19)), { timeout: 15_000, interval: 50 });

    microsoft.subscriptions.drop(subscription!);
    expect((await microsoft.subscriptions.lifecycle('subscriptionRemoved', subscription!)).status).toBe(200);
    await vi.waitFor(() => expect(microsoft.subscriptions.live()).toHaveLength(1), { timeout: 15_000, interval: 50 });
    const [replacement] = microsoft.subscriptions.live();
    expect(replacement!.id).not.toBe(subscription!.id);
    await vi.waitFor(async () => expect((await channelRows(graphId))[0]!.channel_id).toBe(replacement!.id), { timeout: 15_000, interval: 50 });

    microsoft.calendar.store.remove('graphPushed1');
    expect((await microsoft.subscriptions.lifecycle('missed', replacement!)).status).toBe(200);
    await vi.waitFor(async () => expect(await storedIds(graphId)).not.toContain('graphPushed1'), { timeout: 15_000, interval: 100 });
  });

  it('renews a Graph subscription with PATCH a day before it lapses', async () => {
    const [subscription] = microsoft.subscriptions.live();
    const patches = () => microsoft.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/v1.0/subscriptions/')).length;
    const before = patches();
    clock.set(new Date(Date.parse(subscription!.expirationDateTime) - 20 * HOUR));
    await server.app.services.calendarSyncWorker.runDue();
    expect(patches()).toBe(before + 1);
    expect(microsoft.subscriptions.live().map((s) => s.id)).toEqual([subscription!.id]);
    expect(Date.parse(subscription!.expirationDateTime)).toBeGreaterThan(clock.now().getTime() + 2 * DAY);
    // Google's week-long channel was not due.
    expect(google.watch.channels).toHaveLength(1);
  });

  it('renews a channel a day before it lapses: a new channel replaces the old one, which is stopped', async () => {
    const [old] = google.watch.live();
    clock.set(new Date(old!.expiration - 20 * HOUR));
    await server.app.services.calendarSyncWorker.runDue();
    expect(old!.stopped).toBe(true);
    const live = google.watch.live();
    expect(live).toHaveLength(1);
    expect(live[0]!.id).not.toBe(old!.id);
    expect((await channelRows()).map((r) => r.channel_id)).toEqual([live[0]!.id]);
    const [stale] = await google.watch.notify('exists', old);
    expect(stale!.status).toBe(403);
  });

  it('stops the channel at Google when the calendar is disconnected, and keeps every channel token out of logs and answers', async () => {
    await login();
    const [channel] = google.watch.live();
    const res = await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers });
    expect(res.status).toBe(200);
    expect(channel!.stopped).toBe(true);
    expect(google.watch.live()).toEqual([]);
    expect(await channelRows()).toEqual([]);
    const [after] = await google.watch.notify('exists', channel);
    expect(after!.status).toBe(403);

    const logs = server.logs.join('\n');
    for (const token of tokens()) {
      expect(logs).not.toContain(token);
      expect(res.text).not.toContain(token);
    }
    expect(logs).toContain('calendar push channel opened');

    const [subscription] = microsoft.subscriptions.live();
    expect((await call(server.url, 'DELETE', '/calendar/integrations/microsoft', { headers: staff.headers })).status).toBe(200);
    expect(subscription!.deleted).toBe(true);
    expect(await query(db, 'select 1 from calendar_push_channels')).toEqual([]);
  });
});
