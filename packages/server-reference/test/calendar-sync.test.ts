import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { CalendarSync } from '../src/services/calendar/sync.js';
import { GOOGLE_GONE } from './fakes/google-calendar.js';
import { startFakeGoogleOAuth, type FakeGoogleOAuth } from './fakes/google-oauth.js';
import { GRAPH_GONE } from './fakes/graph-calendar.js';
import { startFakeMicrosoftOAuth, type FakeMicrosoftOAuth } from './fakes/microsoft-oauth.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { calendarEnv } from './helpers/calendar.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-01T09:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);
const googleTime = (d: Date) => ({ dateTime: d.toISOString(), timeZone: 'UTC' });

describe.each(backendNames())('calendar event sync (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let google: FakeGoogleOAuth;
  let microsoft: FakeMicrosoftOAuth;
  let server: TestApp;
  let second: TestApp;
  let staff: StaffSession;
  let sync: CalendarSync;
  const sleeps: number[] = [];
  const clock = new ManualClock(new Date(T0));
  const ids: Record<'google' | 'microsoft', string> = { google: '', microsoft: '' };

  async function connect(provider: 'google' | 'microsoft'): Promise<void> {
    const start = await call(server.url, 'GET', `/calendar/${provider}/connect`, { headers: staff.headers });
    const consent = await fetch(start.body.authUrl as string, { redirect: 'manual' });
    const location = new URL(consent.headers.get('location')!);
    expect((await call(server.url, 'GET', `${location.pathname}${location.search}`)).status).toBe(200);
  }

  /** The stored events of a provider: provider id → row count (a duplicate would show as 2). */
  async function stored(provider: 'google' | 'microsoft'): Promise<Record<string, number>> {
    const rows = await query<{ provider_event_id: string; n: number }>(db, `select provider_event_id, count(*)::int as n from synced_calendar_events where integration_id = '${ids[provider]}' group by 1`);
    return Object.fromEntries(rows.map((r) => [r.provider_event_id, Number(r.n)]));
  }
  const live = (provider: 'google' | 'microsoft') => Object.fromEntries((provider === 'google' ? google : microsoft).calendar.store.live().map((e) => [e.id, 1]));
  const events = async (from: Date, to: Date, extra = '') =>
    call(server.url, 'GET', `/calendar/events?from=${from.toISOString()}&to=${to.toISOString()}${extra}`, { headers: staff.headers });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    [google, microsoft] = await Promise.all([startFakeGoogleOAuth(), startFakeMicrosoftOAuth()]);
    const env = testEnv({ keys, extra: calendarEnv({ google: google.url, microsoft: microsoft.url }) });
    server = await startApp({ db, env, clock });
    second = await startApp({ db: backendName === 'postgres' ? await backend.open() : db, env, clock });
    staff = await staffSession(server, 'staff');
    await connect('google');
    await connect('microsoft');
    for (const row of await query<{ id: string; provider: 'google' | 'microsoft' }>(db, `select id, provider from calendar_integrations where staff_id = '${staff.id}'`)) ids[row.provider] = row.id;
    sync = server.app.services.calendarSync.withOptions({ pageSize: 3, transport: { retry: { sleep: async (ms) => void sleeps.push(ms) } } });
  });
  afterAll(async () => {
    await Promise.all([server?.close(), second?.close()]);
    await Promise.all([google?.close(), microsoft?.close()]);
    await backend?.dispose();
  });

  it('lists everything once, then an unchanged calendar costs one empty page and only changes are fetched', async () => {
    for (let i = 0; i < 7; i++) google.calendar.add({ id: `evt${i}`, summary: `Session ${i}`, start: googleTime(at(i)), end: googleTime(at(i + 1)) });
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', mode: 'full', pages: 3, upserted: 7 });
    expect(await stored('google')).toEqual(live('google'));

    google.calendar.store.served = { full: 0, incremental: 0 };
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', mode: 'incremental', pages: 1, upserted: 0, removed: 0 });
    expect(google.calendar.store.served).toEqual({ full: 0, incremental: 0 });

    google.calendar.add({ ...google.calendar.store.get('evt1')!, summary: 'Session 1 (moved)', start: googleTime(at(30)), end: googleTime(at(31)) });
    google.calendar.store.remove('evt2');
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', mode: 'incremental', upserted: 1, removed: 1 });
    expect(google.calendar.store.served.incremental).toBe(2);
    expect(await stored('google')).toEqual(live('google'));
    const res = await events(at(0), at(48));
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { title: string }) => e.title)).toEqual(['Session 0', 'Session 3', 'Session 4', 'Session 5', 'Session 6', 'Session 1 (moved)']);
    expect(res.body.events[0]).toMatchObject({ start: at(0).toISOString(), end: at(1).toISOString(), providers: [{ provider: 'google', event_id: 'evt0' }], recurring: false });
  });

  it('starts a full resync on a 410 in the middle of paging, marks and sweeps, and loses or duplicates nothing', async () => {
    // Six changes (two pages of three) and a deletion the second page would have reported.
    for (const id of ['evt0', 'evt1', 'evt3', 'evt4', 'evt5']) google.calendar.add({ ...google.calendar.store.get(id)!, summary: `Again ${id.slice(3)}` });
    google.calendar.store.remove('evt6');
    google.calendar.add({ id: 'evt9', summary: 'New', start: googleTime(at(9)), end: googleTime(at(10)) });
    google.calendar.store.planListFault(GOOGLE_GONE, { onPage: true });
    google.calendar.store.served = { full: 0, incremental: 0 };
    const outcome = await sync.syncIntegration(ids.google);
    expect(outcome).toMatchObject({ status: 'synced', mode: 'full', swept: 1 });
    // The first incremental page was committed before the 410; the full pass then listed everything.
    expect(google.calendar.store.served).toEqual({ incremental: 3, full: 6 });
    expect(await stored('google')).toEqual(live('google'));
    expect(Object.keys(await stored('google'))).not.toContain('evt6');
    const titles = (await events(at(0), at(48))).body.events.map((e: { title: string }) => e.title);
    expect(titles).toEqual(['Again 0', 'Again 3', 'Again 4', 'Again 5', 'New', 'Again 1']);
  });

  it('deletes nothing when a fetch keeps failing, even in the middle of a full pass after a 410', async () => {
    const before = await stored('google');
    google.calendar.store.expireCursors();
    google.calendar.store.clear();
    google.calendar.add({ id: 'evt0', summary: 'Only one left', start: googleTime(at(0)), end: googleTime(at(1)) });
    for (let i = 1; i < 6; i++) google.calendar.add({ id: `zz${i}`, summary: `Other ${i}`, start: googleTime(at(i)), end: googleTime(at(i + 1)) });
    // The full pass gets its first page, then the provider fails for longer than the retries last.
    google.calendar.store.planListFault({ status: 503, body: { error: { code: 503, message: 'Backend Error', errors: [{ reason: 'backendError' }] } } }, { onPage: true, times: 4 });
    sleeps.length = 0;
    const outcome = await sync.syncIntegration(ids.google);
    expect(outcome).toEqual({ status: 'failed', error: 'PROVIDER_503_backendError' });
    expect(sleeps.length).toBeGreaterThan(0);
    const after = await stored('google');
    for (const id of Object.keys(before)) expect(after[id], id).toBe(1);
    const [status] = await query<{ last_error: string; last_started_at: unknown }>(db, `select last_error, last_started_at from calendar_sync_status where integration_id = '${ids.google}'`);
    expect(status).toEqual({ last_error: 'PROVIDER_503_backendError', last_started_at: null });
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', mode: 'full' });
    expect(await stored('google')).toEqual(live('google'));
  });

  it('honours Retry-After on 429 and renews a refused token once on 401', async () => {
    google.calendar.store.planListFault({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 429, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded' }] } } });
    sleeps.length = 0;
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced' });
    expect(sleeps).toEqual([7000]);
    const refreshes = () => google.requests.filter((r) => r.path === '/token' && r.form.get('grant_type') === 'refresh_token').length;
    const before = refreshes();
    google.grants.dropAccessTokens();
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced' });
    expect(refreshes()).toBe(before + 1);
  });

  it('keeps a series with its exceptions and expands it in the window; cancelled events go', async () => {
    // Weekly on Tuesdays 10:00 New York from 1 December; the 8th moved to 14:00, the 15th cancelled.
    google.calendar.add({ id: 'series1', summary: 'Weekly group', start: { dateTime: '2026-12-01T10:00:00-05:00', timeZone: 'America/New_York' }, end: { dateTime: '2026-12-01T11:00:00-05:00', timeZone: 'America/New_York' }, recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TU'] });
    google.calendar.add({ id: 'series1_20261208T150000Z', recurringEventId: 'series1', originalStartTime: { dateTime: '2026-12-08T15:00:00Z', timeZone: 'America/New_York' }, summary: 'Weekly group (moved)', start: { dateTime: '2026-12-08T19:00:00Z', timeZone: 'America/New_York' }, end: { dateTime: '2026-12-08T20:00:00Z', timeZone: 'America/New_York' } });
    google.calendar.add({ id: 'series1_20261215T150000Z', recurringEventId: 'series1', originalStartTime: { dateTime: '2026-12-15T15:00:00Z', timeZone: 'America/New_York' }, status: 'cancelled' });
    google.calendar.add({ id: 'gone1', summary: 'To be cancelled', start: googleTime(at(2)), end: googleTime(at(3)) });
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', mode: 'incremental' });
    google.calendar.store.remove('gone1');
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced', removed: 1 });
    const res = await events(new Date('2026-12-01T12:00:00Z'), new Date('2026-12-31T00:00:00Z'));
    const group = res.body.events.filter((e: { title: string }) => e.title.startsWith('Weekly'));
    expect(group.map((e: { title: string; start: string }) => [e.title, e.start])).toEqual([
      ['Weekly group', '2026-12-01T15:00:00.000Z'],
      ['Weekly group (moved)', '2026-12-08T19:00:00.000Z'],
      ['Weekly group', '2026-12-22T15:00:00.000Z'],
      ['Weekly group', '2026-12-29T15:00:00.000Z'],
    ]);
    expect(group[0]).toMatchObject({ recurring: true, time_zone: 'America/New_York', id: 'google:series1:2026-12-01T15:00:00.000Z' });
    expect(res.body.events.map((e: { title: string }) => e.title)).not.toContain('To be cancelled');
  });

  it('syncs Graph by delta, applies @removed, resyncs on syncStateNotFound, and shows an invitation on both calendars once', async () => {
    const shared = 'shared-uid-0001@example.org';
    google.calendar.add({ id: 'inv1', iCalUID: shared, summary: 'Case review', start: googleTime(at(50)), end: googleTime(at(51)) });
    microsoft.calendar.add({ id: 'AAMk-inv1', iCalUId: shared, subject: 'Case review', start: at(50), end: at(51) });
    for (let i = 0; i < 4; i++) microsoft.calendar.add({ id: `AAMk-${i}`, subject: `Outlook ${i}`, start: at(60 + i), end: at(61 + i) });
    expect(await sync.syncIntegration(ids.microsoft)).toMatchObject({ status: 'synced', mode: 'full', upserted: 5 });
    expect(microsoft.requests.find((r) => r.path.endsWith('/delta'))!.headers.prefer).toContain('outlook.timezone="UTC"');
    microsoft.calendar.store.remove('AAMk-0');
    expect(await sync.syncIntegration(ids.microsoft)).toMatchObject({ status: 'synced', mode: 'incremental', removed: 1 });
    microsoft.calendar.store.planListFault(GRAPH_GONE);
    expect(await sync.syncIntegration(ids.microsoft)).toMatchObject({ status: 'synced', mode: 'full', swept: 0 });
    expect(await stored('microsoft')).toEqual(live('microsoft'));
    // On the second page of a delta pass (its @odata.nextLink) too.
    for (let i = 4; i < 8; i++) microsoft.calendar.add({ id: `AAMk-${i}`, subject: `Outlook ${i}`, start: at(60 + i), end: at(61 + i) });
    microsoft.calendar.store.planListFault(GRAPH_GONE, { onPage: true });
    expect(await sync.syncIntegration(ids.microsoft)).toMatchObject({ status: 'synced', mode: 'full', upserted: 3 + 8 });
    expect(await stored('microsoft')).toEqual(live('microsoft'));
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced' });
    const res = await events(at(49), at(52));
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ title: 'Case review', providers: [{ provider: 'google', event_id: 'inv1' }, { provider: 'microsoft', event_id: 'AAMk-inv1' }] });
    expect(res.body.calendars.map((c: { provider: string; last_error: unknown }) => [c.provider, c.last_error])).toEqual([['google', null], ['microsoft', null]]);
    // Connecting again (perhaps another account) drops the cursor: the next pass is full and sweeps.
    await connect('microsoft');
    expect(await sync.syncIntegration(ids.microsoft)).toMatchObject({ status: 'synced', mode: 'full' });
  });

  it('creates, moves and deletes events on both providers through the events API', async () => {
    for (const provider of ['google', 'microsoft'] as const) {
      const api = sync.api({ staffId: staff.id, provider });
      const created = await api.createEvent({ title: 'Intake', start: at(100), end: at(101), timeZone: 'America/Chicago', attendees: [{ email: 'client@example.org', name: 'Client' }] });
      expect(created).toMatchObject({ start: at(100), end: at(101), details: { title: 'Intake', attendees: [{ email: 'client@example.org', name: 'Client' }] } });
      const fake = provider === 'google' ? google.calendar.store : microsoft.calendar.store;
      expect(fake.get(created.id)).toBeDefined();
      const moved = await api.updateEvent(created.id, { start: at(102), end: at(103), timeZone: 'America/Chicago' });
      expect([moved.start, moved.end, moved.details.title]).toEqual([at(102), at(103), 'Intake']);
      await api.deleteEvent(created.id);
      expect(fake.get(created.id)).toBeUndefined();
      await api.deleteEvent(created.id);
    }
  });

  it('serialises syncs of one calendar across instances', async () => {
    // Another instance's pass holds the claim: this one does not start one.
    await query(db, `update calendar_sync_status set last_started_at = '${clock.now().toISOString()}' where integration_id = '${ids.google}'`);
    const before = google.requests.length;
    expect(await sync.syncIntegration(ids.google)).toEqual({ status: 'busy' });
    expect(google.requests.length).toBe(before);
    // Its instance died: once the lease lapses, the next sync takes over.
    await query(db, `update calendar_sync_status set last_started_at = '${new Date(clock.now().getTime() - 6 * 60_000).toISOString()}' where integration_id = '${ids.google}'`);
    expect(await sync.syncIntegration(ids.google)).toMatchObject({ status: 'synced' });

    google.calendar.store.expireCursors();
    google.calendar.store.served = { full: 0, incremental: 0 };
    const other = second.app.services.calendarSync.withOptions({ pageSize: 3 });
    const outcomes = await Promise.all([sync.syncIntegration(ids.google), other.syncIntegration(ids.google), sync.syncIntegration(ids.google)]);
    // Callers in one instance share its pass; the instances never list the calendar at once.
    expect(outcomes[2]).toBe(outcomes[0]);
    expect(outcomes.some((o) => o.status === 'synced' && o.mode === 'full')).toBe(true);
    expect(google.calendar.store.served.full).toBe(google.calendar.store.live().length);
    expect(await stored('google')).toEqual(live('google'));
    // A read asking for a sync while another instance's runs waits for it, then answers.
    const [a, b] = await Promise.all([events(at(0), at(48), '&sync=true'), call(second.url, 'GET', `/calendar/events?from=${at(0).toISOString()}&to=${at(48).toISOString()}&sync=true`, { headers: staff.headers })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.events).toEqual(b.body.events);
  });

  it('refuses a window over 62 days or backwards, and never shows a token or cursor', async () => {
    const long = await events(at(0), new Date(T0 + 63 * DAY));
    expect(long.status).toBe(400);
    expect(long.text).toContain('at most 62 days');
    expect((await events(at(10), at(0))).status).toBe(400);
    const res = await events(at(0), at(1000), '&sync=true');
    expect(res.status).toBe(200);
    const cursors = await query<{ cursor_enc: string }>(db, 'select cursor_enc from calendar_sync_status');
    for (const row of cursors) expect(row.cursor_enc).toMatch(/^v1\./);
    const details = await query<{ details_enc: string }>(db, 'select details_enc from synced_calendar_events');
    expect(details.every((d) => d.details_enc.startsWith('v1.') && !d.details_enc.includes('Session'))).toBe(true);
    const issued = [...google.requests, ...microsoft.requests].map((r) => /^Bearer (\S+)/.exec(String(r.headers.authorization ?? ''))?.[1]).filter(Boolean) as string[];
    expect(issued.length).toBeGreaterThan(0);
    const everything = server.logs.join('\n') + second.logs.join('\n') + res.text + JSON.stringify(await query(db, 'select * from audit_log'));
    for (const secret of [...new Set(issued), ...google.grants.refreshTokens, ...microsoft.grants.refreshTokens]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/CAES[A-Za-z0-9_-]{8}|deltatoken|skiptoken|pageToken=/);
  });

  it('syncs due calendars in the background, skipping one that needs a new consent', async () => {
    const worker = server.app.services.calendarSyncWorker;
    expect(await worker.runDue()).toBe(0);
    clock.advance(20 * 60 * 1000);
    await query(db, `update calendar_integrations set status = 'needs_reauth' where id = '${ids.microsoft}'`);
    const graphCalls = microsoft.requests.length;
    expect(await worker.runDue()).toBe(1);
    expect(microsoft.requests.length).toBe(graphCalls);
    const [status] = await query<{ next_sync_at: Date | string }>(db, `select next_sync_at from calendar_sync_status where integration_id = '${ids.google}'`);
    const next = new Date(status!.next_sync_at).getTime() - clock.now().getTime();
    expect(next).toBeGreaterThanOrEqual(270_000);
    expect(next).toBeLessThanOrEqual(330_000);
    await query(db, `update calendar_integrations set status = 'connected' where id = '${ids.microsoft}'`);
  });
});
