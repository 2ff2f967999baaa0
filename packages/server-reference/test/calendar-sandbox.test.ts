import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { answerConsent, pkcePair, postForm, redirectPath, showConsent } from './helpers/sandbox-calendar.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const EVENTS = '/sandbox/calendar/api/calendar/v3/calendars/primary/events';
const TOKEN = '/sandbox/calendar/oauth/token';

describe.each(backendNames())('the sandbox calendar provider over HTTP (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let staff: StaffSession;
  const clock = new ManualClock('2026-12-01T09:00:00Z');

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_CALENDAR_SANDBOX: 'true' } }), clock });
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const connect = async () => {
    const res = await call(server.url, 'GET', '/calendar/sandbox/connect', { headers: staff.headers });
    expect(res.status, res.text).toBe(200);
    return res.body.authUrl as string;
  };
  const api = (token: string, method: string, path = '', json?: unknown) => call(server.url, method, `${EVENTS}${path}`, { headers: { authorization: `Bearer ${token}` }, ...(json ? { json } : {}) });
  const client = async () => (await server.app.services.sandboxCalendar.site.client())!;
  /** A consent of our own (as the client would make it), allowed, answering the code. */
  async function codeFor(challenge: string): Promise<string> {
    const c = await client();
    const url = new URL(`${server.url}/sandbox/calendar/oauth/authorize`);
    for (const [k, v] of Object.entries({ client_id: c.clientId, redirect_uri: c.redirectUri, response_type: 'code', scope: 'calendar', state: 'own-state', code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(k, v);
    const allowed = await answerConsent(server.url, await showConsent(url.toString()), 'allow');
    return new URL(allowed.headers.location!).searchParams.get('code')!;
  }

  it('connects through its own consent page with PKCE, and the events API answers the demo events, sealed at rest', async () => {
    const authUrl = new URL(await connect());
    expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${server.url}/sandbox/calendar/oauth/authorize`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('redirect_uri')).toBe(`${server.url}/calendar/sandbox/callback`);
    // Whatever else the request carries is never written into the page.
    authUrl.searchParams.set('login_hint', '"><script>alert(1)</script>');
    const shown = await showConsent(authUrl.toString());
    expect(shown.page.text).not.toContain('<script');
    expect(shown.page.text).toContain('CareOS wants to access your sandbox calendar');
    expect(shown.page.headers['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(shown.page.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/i);

    const allowed = await answerConsent(server.url, shown, 'allow');
    expect(allowed.status).toBe(303);
    const back = new URL(allowed.headers.location!);
    expect(back.searchParams.get('state')).toBe(authUrl.searchParams.get('state'));
    expect(back.searchParams.get('iss')).toBe(`${server.url}/sandbox/calendar/oauth`);
    const callback = await call(server.url, 'GET', redirectPath(allowed));
    expect(callback.status, callback.text).toBe(200);
    expect(callback.text).toContain('Your sandbox calendar is connected');
    const list = await call(server.url, 'GET', '/calendar/integrations', { headers: staff.headers });
    expect(list.body.integrations).toEqual([expect.objectContaining({ provider: 'sandbox', status: 'connected', scopes: ['calendar'] })]);

    const token = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const events = await api(token, 'GET');
    expect(events.status).toBe(200);
    expect(events.body).toMatchObject({ kind: 'calendar#events', nextSyncToken: expect.any(String) });
    const items = events.body.items as Array<Record<string, any>>;
    expect(items.map((e) => e.summary).sort()).toEqual(['Home visit: Jordan Demo', 'Team huddle', 'Training day', 'Weekly supervision']);
    expect(items.find((e) => e.summary === 'Weekly supervision')).toMatchObject({ recurrence: [expect.stringMatching(/^RRULE:FREQ=WEEKLY;BYDAY=[A-Z]{2}$/)], start: { timeZone: 'Etc/UTC' } });

    const rows = await query<{ summary_enc: string }>(db, 'select summary_enc from sandbox_calendar_events');
    expect(rows.length).toBe(4);
    for (const row of rows) expect(row.summary_enc).toMatch(/^v1\./);
    const stored = JSON.stringify(await query(db, 'select * from sandbox_calendar_tokens')) + JSON.stringify(await query(db, 'select * from sandbox_calendar_events'));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('Team huddle');
    expect(server.logs.join('\n')).not.toContain(token);
  });

  it('GET /calendar/events syncs the sandbox calendar: the demo events, the weekly one expanded; a booking goes onto it and leaves it when cancelled', async () => {
    const from = '2026-12-01T00:00:00.000Z';
    const to = '2026-12-22T00:00:00.000Z';
    const res = await call(server.url, 'GET', `/calendar/events?from=${from}&to=${to}&sync=true`, { headers: staff.headers });
    expect(res.status, res.text).toBe(200);
    expect(res.body.calendars).toEqual([expect.objectContaining({ provider: 'sandbox', status: 'connected', last_error: null, last_synced_at: expect.any(String) })]);
    const events = res.body.events as Array<{ title: string; start: string; recurring: boolean; all_day: boolean; providers: unknown[] }>;
    // The demo follows the clock (2026-12-01 09:00 UTC, a Tuesday): the supervision repeats every Wednesday at 16:00.
    expect(events.map((e) => `${e.start} ${e.title}${e.recurring ? ' (recurring)' : ''}`)).toEqual([
      '2026-12-02T09:00:00.000Z Team huddle',
      '2026-12-02T16:00:00.000Z Weekly supervision (recurring)',
      '2026-12-03T14:00:00.000Z Home visit: Jordan Demo',
      '2026-12-04T00:00:00.000Z Training day',
      '2026-12-09T16:00:00.000Z Weekly supervision (recurring)',
      '2026-12-16T16:00:00.000Z Weekly supervision (recurring)',
    ]);
    expect(events.find((e) => e.title === 'Training day')).toMatchObject({ all_day: true, providers: [{ provider: 'sandbox', event_id: expect.any(String) }] });

    // A booking reaches the sandbox calendar as on Google's, and leaves it with a cancel.
    const contact = await call(server.url, 'POST', '/contacts', { headers: staff.headers, json: { name: 'Sam Sandbox', email: 'sam@example.com' } });
    const booked = await call(server.url, 'POST', '/bookings', { headers: staff.headers, json: { contact_id: contact.body.contact.id, staff_id: staff.id, service: 'Check-up', starts_at: '2026-12-03T10:00:00Z', duration_minutes: 30 } });
    expect(booked.status, booked.text).toBe(201);
    await server.app.services.calendarPushWorker.runDue();
    const token = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const live = async () => ((await api(token, 'GET')).body.items as Array<{ id: string; summary: string; start: { dateTime?: string } }>).filter((e) => e.summary === 'CareOS booking');
    const [placed] = await live();
    expect(placed).toMatchObject({ start: expect.objectContaining({ dateTime: '2026-12-03T10:00:00.000Z' }) });
    // The sandbox keeps no extended properties: the booking's key is the event's id, so a retry after a lost answer finds it.
    const sandboxApi = server.app.services.calendarSync.api({ staffId: staff.id, provider: 'sandbox' });
    expect(await sandboxApi.findByKey(`careos-${booked.body.booking.id as string}`)).toMatchObject({ id: placed!.id });
    // The sandbox's busy time blocks bookings too, once synced: the huddle is in the way.
    const clash = await call(server.url, 'POST', '/bookings', { headers: staff.headers, json: { contact_id: contact.body.contact.id, staff_id: staff.id, service: 'Check-up', starts_at: '2026-12-02T09:15:00Z', duration_minutes: 30 } });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('sandbox calendar (sandbox)');
    expect((await call(server.url, 'PATCH', `/bookings/${booked.body.booking.id as string}`, { headers: staff.headers, json: { status: 'cancelled' } })).status).toBe(200);
    await server.app.services.calendarPushWorker.runDue();
    expect(await live()).toEqual([]);
    expect(await sandboxApi.findByKey(`careos-${booked.body.booking.id as string}`)).toBeNull();
  });

  it('pages, syncs incrementally (changes and deletions since the token), and answers 410 to an unknown sync token', async () => {
    const token = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const first = await api(token, 'GET', '?maxResults=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextSyncToken).toBeUndefined();
    const second = await api(token, 'GET', `?maxResults=3&pageToken=${first.body.nextPageToken}`);
    expect(second.body.items).toHaveLength(1);
    const syncToken = second.body.nextSyncToken as string;

    const created = await api(token, 'POST', '', { summary: 'Visit', start: { dateTime: '2026-12-05T10:00:00Z' }, end: { dateTime: '2026-12-05T11:00:00Z' } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.id).toMatch(/^[a-v0-9]{5,}$/);
    const huddle = (first.body.items as Array<{ id: string; summary: string }>).concat(second.body.items).find((e) => e.summary === 'Team huddle')!;
    expect((await api(token, 'PATCH', `/${created.body.id}`, { summary: 'Visit (moved)', start: { dateTime: '2026-12-05T12:00:00Z' }, end: { dateTime: '2026-12-05T13:00:00Z' } })).body).toMatchObject({ summary: 'Visit (moved)', sequence: 1 });
    expect((await api(token, 'DELETE', `/${huddle.id}`)).status).toBe(204);
    expect((await api(token, 'DELETE', `/${huddle.id}`)).status).toBe(410);

    const changes = await api(token, 'GET', `?syncToken=${syncToken}`);
    expect(changes.status).toBe(200);
    expect(changes.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: created.body.id, summary: 'Visit (moved)' }), { kind: 'calendar#event', etag: expect.any(String), id: huddle.id, status: 'cancelled' }]),
    );
    expect(changes.body.items).toHaveLength(2);
    expect((await api(token, 'GET', `?syncToken=${changes.body.nextSyncToken}`)).body.items).toEqual([]);
    const gone = await api(token, 'GET', '?syncToken=not-a-token');
    expect(gone.status).toBe(410);
    expect(gone.body.error).toMatchObject({ code: 410, errors: [{ reason: 'fullSyncRequired' }] });
    // Bad input is a 400 in Google's shape, never a 500.
    expect((await api(token, 'POST', '', { start: { dateTime: '2026-12-05T10:00:00Z' }, end: { dateTime: '2026-12-05T09:00:00Z' } })).body.error.errors[0].reason).toBe('timeRangeEmpty');
    expect((await api(token, 'GET', '?pageToken=%25%25')).status).toBe(400);
    expect((await api(token, 'GET', '?timeMin=2026-01-01T00:00:00Z')).status).toBe(400);
  });

  it('refuses a missing or unknown bearer with 401, and refreshes an expired access token at the sandbox', async () => {
    expect((await call(server.url, 'GET', EVENTS)).status).toBe(401);
    const unknown = await api('sbx_at_unknown', 'GET');
    expect(unknown.status).toBe(401);
    expect(unknown.headers['www-authenticate']).toMatch(/^Bearer /);
    const before = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const start = clock.now();
    clock.advance(2 * 60 * 60 * 1000);
    expect((await api(before, 'GET')).status).toBe(401);
    const after = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    expect(after).not.toBe(before);
    expect((await api(after, 'GET')).status).toBe(200);
    clock.set(start);
  });

  it('Deny sends the browser back with access_denied, which the callback shows as declined; a replayed state or consent changes nothing', async () => {
    const other = await staffSession(server, 'staff');
    const authUrl = (await call(server.url, 'GET', '/calendar/sandbox/connect', { headers: other.headers })).body.authUrl as string;
    const shown = await showConsent(authUrl);
    // The answer must come from the browser that was shown the page.
    expect((await answerConsent(server.url, shown, 'allow', null)).status).toBe(400);
    const again = await showConsent(authUrl);
    const denied = await answerConsent(server.url, again, 'deny');
    expect(denied.status).toBe(303);
    expect(new URL(denied.headers.location!).searchParams.get('error')).toBe('access_denied');
    const declined = await call(server.url, 'GET', redirectPath(denied));
    expect(declined.status).toBe(400);
    expect(declined.body).toMatchObject({ code: 'OAUTH_DECLINED' });
    expect((await answerConsent(server.url, again, 'allow')).status).toBe(400);

    const before = await query(db, 'select count(*)::int as n from calendar_integrations');
    const replay = await call(server.url, 'GET', redirectPath(denied));
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ code: 'INVALID_OAUTH_STATE' });
    expect(await query(db, 'select count(*)::int as n from calendar_integrations')).toEqual(before);
  });

  it('token endpoint: a wrong PKCE verifier is invalid_grant and spends the code; wrong client credentials are invalid_client; refresh and revoke work', async () => {
    const c = await client();
    const creds = { client_id: c.clientId, client_secret: c.clientSecret };
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(challenge);
    const wrong = await postForm(server.url, TOKEN, { grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, code_verifier: pkcePair().verifier, ...creds });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
    expect((await postForm(server.url, TOKEN, { grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, code_verifier: verifier, ...creds })).body).toMatchObject({ error: 'invalid_grant' });

    const next = pkcePair();
    const code2 = await codeFor(next.challenge);
    const form = { grant_type: 'authorization_code', code: code2, redirect_uri: c.redirectUri, code_verifier: next.verifier };
    expect((await postForm(server.url, TOKEN, { ...form, client_id: c.clientId, client_secret: 'not-the-secret' })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`;
    const issued = await postForm(server.url, TOKEN, form, { authorization: basic });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'calendar', refresh_token: expect.stringMatching(/^sbx_rt_/) });
    const refreshed = await postForm(server.url, TOKEN, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, ...creds });
    expect((await api(refreshed.body.access_token, 'GET')).status).toBe(200);

    expect((await postForm(server.url, '/sandbox/calendar/oauth/revoke', { token: issued.body.refresh_token, ...creds })).status).toBe(200);
    expect((await api(refreshed.body.access_token, 'GET')).status).toBe(401);
    expect((await postForm(server.url, TOKEN, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, ...creds })).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('disconnect revokes at the sandbox: the old access token gets 401', async () => {
    const token = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const res = await call(server.url, 'DELETE', '/calendar/integrations/sandbox', { headers: staff.headers });
    expect(res.body).toEqual({ ok: true, provider: 'sandbox', revoked_at_provider: true });
    expect((await api(token, 'GET')).status).toBe(401);
  });
});
