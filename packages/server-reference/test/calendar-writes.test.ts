import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { FakeCalendarStore, StoredJson } from './fakes/calendar-store.js';
import { startFakeGoogleOAuth, type FakeGoogleOAuth } from './fakes/google-oauth.js';
import { startFakeMicrosoftOAuth, type FakeMicrosoftOAuth } from './fakes/microsoft-oauth.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { calendarEnv } from './helpers/calendar.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call, type TestResponse } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const MINUTE = 60_000;

/** Follows `authUrl` to the fake's consent, which redirects to the callback; answers its path and query. */
async function consent(authUrl: string): Promise<string> {
  const res = await fetch(authUrl, { redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  return `${location.pathname}${location.search}`;
}

describe.each(backendNames())('calendar writes: events and bookings on calendars (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let googleAuth: FakeGoogleOAuth;
  let microsoftAuth: FakeMicrosoftOAuth;
  let google: FakeCalendarStore;
  let graph: FakeCalendarStore;
  let server: TestApp;
  let staff: StaffSession;
  let other: StaffSession;
  let clientId: string;
  const responses: TestResponse[] = [];
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const at = (minutes: number) => new Date(Date.parse('2026-12-10T14:00:00Z') + minutes * MINUTE).toISOString();

  const as = async (session: StaffSession, method: string, path: string, json?: unknown) => {
    const res = await call(server.url, method, path, { headers: session.headers, ...(json === undefined ? {} : { json }) });
    responses.push(res);
    return res;
  };
  const push = () => server.app.services.calendarPushWorker.runDue();
  const pushes = (bookingId: string) => query<{ status: string; action: string; last_error: string | null; attempts: number }>(db, `select status, action, last_error, attempts from calendar_booking_pushes where booking_id = '${bookingId}' order by integration_id`);
  const onFake = (fake: FakeCalendarStore, bookingId: string): StoredJson[] => fake.live().filter((e) => JSON.stringify(e).includes(bookingId));
  /** What the calendar APIs received (the OAuth fakes serve them on the same origins). */
  const apiRequests = () => [...googleAuth.requests, ...microsoftAuth.requests].filter((r) => r.path.startsWith('/calendar/v3/') || r.path.startsWith('/v1.0/'));

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    [googleAuth, microsoftAuth] = await Promise.all([startFakeGoogleOAuth(), startFakeMicrosoftOAuth()]);
    [google, graph] = [googleAuth.calendar.store, microsoftAuth.calendar.store];
    const extra = {
      ...calendarEnv({ google: googleAuth.url, microsoft: microsoftAuth.url }),
      // Only booking changes (and the test) start the push worker.
      CAREOS_CALENDAR_PUSH_POLL_MS: '3600000',
    };
    server = await startApp({ db, env: testEnv({ keys, extra }), clock });
    staff = await staffSession(server, 'staff');
    other = await staffSession(server, 'staff');
    for (const [session, provider] of [[staff, 'google'], [staff, 'microsoft'], [other, 'google']] as const) {
      const { body } = await as(session, 'GET', `/calendar/${provider}/connect`);
      expect((await call(server.url, 'GET', await consent(body.authUrl as string))).status).toBe(200);
    }
    clientId = (await as(staff, 'POST', '/contacts', { name: 'Maria Lopez', email: 'maria.lopez@example.com' })).body.contact.id as string;
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([googleAuth?.close(), microsoftAuth?.close()]);
    await backend?.dispose();
  });

  it('POST /calendar/events writes at the provider, keeps the event at once and links the contact; a calendar not connected is 409', async () => {
    const res = await as(staff, 'POST', '/calendar/events', {
      provider: 'google',
      title: 'Home visit with Maria',
      start: at(0),
      end: at(60),
      time_zone: 'America/New_York',
      location: '12 Elm St',
      attendees: [{ email: 'nurse@example.com', name: 'Nurse' }],
      client_id: clientId,
    });
    expect(res.status, res.text).toBe(201);
    const event = res.body.event as Record<string, unknown>;
    const eventId = (event.providers as { event_id: string }[])[0]!.event_id;
    // The shape GET /calendar/events lists events in, and the contact.
    expect(event).toEqual({
      id: `google:${eventId}`,
      title: 'Home visit with Maria',
      description: null,
      location: '12 Elm St',
      organizer: null,
      attendees: [{ email: 'nurse@example.com', name: 'Nurse', response: 'needs_action' }],
      start: at(0),
      end: at(60),
      time_zone: 'America/New_York',
      all_day: false,
      busy: true,
      status: 'confirmed',
      recurring: false,
      providers: [{ provider: 'google', event_id: eventId }],
      client_id: clientId,
    });
    const atGoogle = google.get(eventId)!;
    expect(atGoogle).toMatchObject({ summary: 'Home visit with Maria', start: { dateTime: at(0), timeZone: 'America/New_York' }, transparency: 'opaque' });

    const [stored] = await query<{ details_enc: string; ical_uid_bidx: string | null }>(db, `select details_enc, ical_uid_bidx from synced_calendar_events where provider_event_id = '${eventId}'`);
    // Indexed by its iCalendar UID as the sync indexes it (the same invitation through Outlook merges with it).
    expect(stored!.ical_uid_bidx).toMatch(/\S/);
    expect(stored!.details_enc).not.toContain('Maria');
    expect(await query(db, `select client_id, booking_id, created_by from client_calendar_events where provider_event_id = '${eventId}'`)).toEqual([
      { client_id: clientId, booking_id: null, created_by: staff.id },
    ]);

    // Outlook: written in its zone (wall time), answered in UTC.
    const outlook = await as(staff, 'POST', '/calendar/events', { provider: 'microsoft', title: 'Team huddle', start: at(-180), end: at(-150), time_zone: 'America/New_York', busy: false });
    expect(outlook.status, outlook.text).toBe(201);
    expect(outlook.body.event).toMatchObject({ providers: [{ provider: 'microsoft' }], start: at(-180), end: at(-150), busy: false });
    expect(JSON.parse(microsoftAuth.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/me/events').at(-1)!.body)).toMatchObject({ subject: 'Team huddle', start: { dateTime: '2026-12-10T06:00:00', timeZone: 'America/New_York' }, showAs: 'free' });

    const missing = await as(other, 'POST', '/calendar/events', { provider: 'microsoft', title: 'x', start: at(0), end: at(30), time_zone: 'UTC' });
    expect(missing.status).toBe(409);
    expect(missing.body.code).toBe('CALENDAR_NOT_CONNECTED');
    const unknownClient = await as(staff, 'POST', '/calendar/events', { provider: 'google', title: 'x', start: at(0), end: at(30), time_zone: 'UTC', client_id: 'user_nobody' });
    expect(unknownClient.status).toBe(400);

    await server.app.services.audit.flush();
    expect(await query(db, `select actor_id, status from audit_log where route = '/calendar/events' and method = 'POST' and status = 201 order by seq`)).toHaveLength(2);
  });

  it('busy calendar time refuses a booking or a move into it, naming the calendar; free time and the next slot do not', async () => {
    const refused = await as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Check-up', starts_at: at(30), duration_minutes: 60 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SLOT_TAKEN', details: [{ path: 'starts_at', message: 'Overlaps a busy event on the google calendar' }] });
    expect(refused.body.message).toContain('Google calendar (google)');
    expect(refused.text).not.toContain('Home visit');
    expect(await query(db, `select id from bookings where staff_id = '${staff.id}'`)).toEqual([]);

    // The Outlook event at -180 shows as free: it blocks nothing. Back-to-back with the busy event is fine.
    const free = await as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Check-up', starts_at: at(-180), duration_minutes: 30 });
    expect(free.status, free.text).toBe(201);
    const moved = await as(staff, 'PATCH', `/bookings/${free.body.booking.id as string}`, { starts_at: at(45) });
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('SLOT_TAKEN');
    expect((await as(staff, 'PATCH', `/bookings/${free.body.booking.id as string}`, { status: 'cancelled' })).status).toBe(200);
    await push();
  });

  it('a booking appears on each connected calendar, moves with a reschedule (its own event never blocks it) and disappears with a cancel', async () => {
    const created = await as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Wound care for Maria', notes: 'Diabetic', starts_at: at(120), duration_minutes: 60 });
    expect(created.status, created.text).toBe(201);
    const id = created.body.booking.id as string;
    await push();
    expect(await pushes(id)).toEqual([
      { status: 'done', action: 'upsert', last_error: null, attempts: 1 },
      { status: 'done', action: 'upsert', last_error: null, attempts: 1 },
    ]);
    const [atGoogle] = onFake(google, id);
    const [atGraph] = onFake(graph, id);
    expect(atGoogle).toMatchObject({ summary: 'CareOS booking', start: { dateTime: at(120) }, end: { dateTime: at(180) }, extendedProperties: { private: { careosKey: `careos-${id}` } } });
    expect(atGraph).toMatchObject({ subject: 'CareOS booking', start: { dateTime: `${at(120).slice(0, 19)}.0000000`, timeZone: 'UTC' } });
    // Nothing about the client reaches the provider: no name, no service, no notes.
    for (const request of apiRequests().filter((r) => r.body.includes(id))) expect(request.body).not.toMatch(/Maria|Wound|Diabetic|maria\.lopez/);
    expect(await query(db, `select provider from client_calendar_events where booking_id = '${id}' order by provider`)).toEqual([{ provider: 'google' }, { provider: 'microsoft' }]);

    // Half an hour later overlaps its own event: allowed; the event follows.
    const moved = await as(staff, 'PATCH', `/bookings/${id}`, { starts_at: at(150) });
    expect(moved.status, moved.text).toBe(200);
    await push();
    expect(onFake(google, id)).toEqual([expect.objectContaining({ id: atGoogle!.id, start: expect.objectContaining({ dateTime: at(150) }), end: expect.objectContaining({ dateTime: at(210) }) })]);
    expect(onFake(graph, id)).toEqual([expect.objectContaining({ id: atGraph!.id, start: { dateTime: `${at(150).slice(0, 19)}.0000000`, timeZone: 'UTC' } })]);
    const [copy] = await query<{ starts_at: Date }>(db, `select starts_at from synced_calendar_events where provider_event_id = '${atGoogle!.id}'`);
    expect(new Date(copy!.starts_at).toISOString()).toBe(at(150));

    // Moved to another staff member: off this one's calendars, onto theirs.
    expect((await as(staff, 'PATCH', `/bookings/${id}`, { staff_id: other.id })).status).toBe(200);
    await push();
    expect(google.get(atGoogle!.id)).toBeUndefined();
    expect(graph.get(atGraph!.id)).toBeUndefined();
    const [onOthers] = onFake(google, id);
    expect(onOthers).toBeDefined();
    expect(await query(db, `select integration_id from client_calendar_events where booking_id = '${id}'`)).toHaveLength(1);

    expect((await as(staff, 'PATCH', `/bookings/${id}`, { status: 'cancelled' })).status).toBe(200);
    await push();
    expect(onFake(google, id)).toEqual([]);
    expect(await query(db, `select id from client_calendar_events where booking_id = '${id}'`)).toEqual([]);
    expect(await query(db, `select id from synced_calendar_events where provider_event_id = '${onOthers!.id}'`)).toEqual([]);
  });

  it('a create whose answer was lost is retried without a second event: the retry finds it by its private key', async () => {
    google.dropNextCreateAnswer();
    graph.dropNextCreateAnswer();
    const created = await as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Check-up', starts_at: at(300), duration_minutes: 30 });
    expect(created.status).toBe(201);
    const id = created.body.booking.id as string;
    await push();
    const failed = await pushes(id);
    expect(failed.map((p) => p.status)).toEqual(['pending', 'pending']);
    expect(failed[0]!.last_error).toMatch(/^network_/);
    expect(onFake(google, id)).toHaveLength(1);
    expect(onFake(graph, id)).toHaveLength(1);

    clock.advance(5 * MINUTE);
    await push();
    // The retry looked for the event by its private key before creating anything.
    expect(googleAuth.requests.some((r) => r.method === 'GET' && r.query.get('privateExtendedProperty') === `careosKey=careos-${id}`)).toBe(true);
    expect(microsoftAuth.requests.some((r) => r.method === 'GET' && (r.query.get('$filter') ?? '').includes(`'careos-${id}'`))).toBe(true);
    expect((await pushes(id)).map((p) => p.status)).toEqual(['done', 'done']);
    expect(onFake(google, id)).toHaveLength(1);
    expect(onFake(graph, id)).toHaveLength(1);
    const links = await query<{ provider_event_id: string }>(db, `select provider_event_id from client_calendar_events where booking_id = '${id}' order by provider`);
    expect(links.map((l) => l.provider_event_id)).toEqual([onFake(google, id)[0]!.id, onFake(graph, id)[0]!.id]);
  });

  it('busy time that arrives through a sync blocks bookings: a single Outlook event, and each occurrence of a weekly Google series but the one cancelled', async () => {
    const day = (n: number, hour: number) => new Date(Date.UTC(2026, 11, n, hour)).toISOString();
    // Made in the calendars themselves, not through CareOS: only the sync brings them.
    google.put({ kind: 'calendar#event', id: 'weeklyreview', status: 'confirmed', iCalUID: 'weeklyreview@google.com', summary: 'Weekly review', start: { dateTime: day(8, 16), timeZone: 'UTC' }, end: { dateTime: day(8, 17), timeZone: 'UTC' }, recurrence: ['RRULE:FREQ=WEEKLY'], updated: clock.now().toISOString() });
    google.put({ kind: 'calendar#event', id: 'weeklyreview_20261215', status: 'cancelled', recurringEventId: 'weeklyreview', originalStartTime: { dateTime: day(15, 16), timeZone: 'UTC' }, updated: clock.now().toISOString() });
    microsoftAuth.calendar.add({ subject: 'Dentist', start: new Date(day(16, 10)), end: new Date(day(16, 11)) });
    const book = (startsAt: string) => as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Check-up', starts_at: startsAt, duration_minutes: 30 });

    // Not synced yet: the calendars' time is not known, nothing is refused.
    const early = await book(day(22, 16));
    expect(early.status, early.text).toBe(201);
    expect((await as(staff, 'PATCH', `/bookings/${early.body.booking.id as string}`, { status: 'cancelled' })).status).toBe(200);

    const listed = await as(staff, 'GET', `/calendar/events?from=${day(8, 0)}&to=${day(30, 0)}&sync=true`);
    expect(listed.status, listed.text).toBe(200);
    const titles = (listed.body.events as { title: string; start: string }[]).map((e) => `${e.title}@${e.start}`);
    expect(titles.filter((t) => t.startsWith('Weekly review'))).toEqual([day(8, 16), day(22, 16), day(29, 16)].map((d) => `Weekly review@${d}`));
    // The event POSTed earlier is the same row the sync upserted: listed once.
    expect(titles.filter((t) => t.startsWith('Home visit with Maria'))).toHaveLength(1);

    const series = await book(day(22, 16));
    expect(series.status).toBe(409);
    expect(series.body).toMatchObject({ code: 'SLOT_TAKEN', details: [{ path: 'starts_at', message: 'Overlaps a busy event on the google calendar' }] });
    expect(series.body.message).toContain(`from ${day(22, 16)}`);
    const cancelledOccurrence = await book(day(15, 16));
    expect(cancelledOccurrence.status, cancelledOccurrence.text).toBe(201);
    const outlook = await book(new Date(Date.parse(day(16, 10)) + 30 * MINUTE).toISOString());
    expect(outlook.status).toBe(409);
    expect(outlook.body.message).toContain('Microsoft calendar (microsoft)');
    expect((await as(staff, 'PATCH', `/bookings/${cancelledOccurrence.body.booking.id as string}`, { status: 'cancelled' })).status).toBe(200);
    await push();
  });

  it('a calendar that needs a new consent never fails the booking: the push is marked failed and an alert raised; no token shows anywhere', async () => {
    googleAuth.grants.revokeAll();
    microsoftAuth.grants.revokeAll();
    const created = await as(staff, 'POST', '/bookings', { contact_id: clientId, staff_id: staff.id, service: 'Check-up', starts_at: at(400), duration_minutes: 30 });
    expect(created.status).toBe(201);
    const id = created.body.booking.id as string;
    await push();
    expect(await pushes(id)).toEqual([
      { status: 'failed', action: 'upsert', last_error: 'NEEDS_REAUTH', attempts: 1 },
      { status: 'failed', action: 'upsert', last_error: 'NEEDS_REAUTH', attempts: 1 },
    ]);
    const alerts = await as(staff, 'GET', '/alerts?type=calendar_push_failed');
    expect(alerts.body.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ subject: { type: 'booking', id }, context: expect.objectContaining({ reason: 'NEEDS_REAUTH', provider: 'google' }) })]));
    expect((await as(staff, 'GET', '/calendar/integrations')).body.integrations).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'google', status: 'needs_reauth' })]));
    const again = await as(staff, 'POST', '/calendar/events', { provider: 'google', title: 'x', start: at(0), end: at(30), time_zone: 'UTC' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CALENDAR_NEEDS_REAUTH');

    const tokens = apiRequests().map((r) => String(r.headers.authorization).replace(/^Bearer /, ''));
    expect(tokens.length).toBeGreaterThan(0);
    await server.app.services.audit.flush();
    const kept = server.logs.join('\n') + JSON.stringify(await query(db, 'select * from audit_log'));
    const everything = kept + responses.map((r) => r.text).join('\n');
    for (const token of new Set(tokens)) expect(everything).not.toContain(token);
    // What an event says reaches its owner's answers only, never a log line or an audit row.
    expect(kept).not.toMatch(/Home visit|Maria|Wound care|Diabetic/);
  });
});
