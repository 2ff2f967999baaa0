import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { CalendarReauthRequired } from '../src/services/calendar/tokens.js';
import { FAKE_GOOGLE_CLIENT, startFakeGoogleOAuth, type FakeGoogleOAuth } from './fakes/google-oauth.js';
import { FAKE_MICROSOFT_CLIENT, startFakeMicrosoftOAuth, type FakeMicrosoftOAuth } from './fakes/microsoft-oauth.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { calendarEnv } from './helpers/calendar.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const HOUR = 60 * 60 * 1000;

/**
 * What the browser does between connect and callback: follows `authUrl` to the fake's consent
 * page, which redirects to the registered redirect URI; the path and query of that redirect are
 * replayed on the test server (the registered URI names localhost:8080).
 */
async function consent(authUrl: string): Promise<string> {
  const res = await fetch(authUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return `${location.pathname}${location.search}`;
}

describe.each(backendNames())('calendar OAuth (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let google: FakeGoogleOAuth;
  let microsoft: FakeMicrosoftOAuth;
  let server: TestApp;
  let second: TestApp;
  let admin: StaffSession;
  let staff: StaffSession;
  const clock = new ManualClock('2026-12-01T09:00:00Z');

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    [google, microsoft] = await Promise.all([startFakeGoogleOAuth(), startFakeMicrosoftOAuth()]);
    const env = testEnv({ keys, extra: calendarEnv({ google: google.url, microsoft: microsoft.url }) });
    server = await startApp({ db, env, clock });
    // A second instance on the same database: refreshes must be serialised across instances.
    second = await startApp({ db: backendName === 'postgres' ? await backend.open() : db, env, clock });
    admin = await staffSession(server, 'admin');
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await Promise.all([server?.close(), second?.close()]);
    await Promise.all([google?.close(), microsoft?.close()]);
    await backend?.dispose();
  });

  async function connect(session: StaffSession, provider: 'google' | 'microsoft'): Promise<string> {
    const res = await call(server.url, 'GET', `/calendar/${provider}/connect`, { headers: session.headers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
    return res.body.authUrl as string;
  }

  async function connectFully(session: StaffSession, provider: 'google' | 'microsoft'): Promise<void> {
    const callback = await call(server.url, 'GET', await consent(await connect(session, provider)));
    expect(callback.status).toBe(200);
  }

  const integrations = async (session: StaffSession) => (await call(server.url, 'GET', '/calendar/integrations', { headers: session.headers })).body.integrations as Array<Record<string, unknown>>;

  it('connects Google end to end with PKCE S256, and no token reaches a response, a log line or an audit row', async () => {
    const authUrl = await connect(admin, 'google');
    const url = new URL(authUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: FAKE_GOOGLE_CLIENT.clientId,
      redirect_uri: FAKE_GOOGLE_CLIENT.redirectUri,
      response_type: 'code',
      code_challenge_method: 'S256',
      access_type: 'offline',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callbackPath = await consent(authUrl);
    const callback = await call(server.url, 'GET', callbackPath);
    expect(callback.status).toBe(200);
    expect(callback.headers['content-type']).toContain('text/html');
    expect(callback.text).toContain('Google calendar is connected');
    // The verifier went to the token endpoint; the challenge was derived from it.
    const redeem = google.requests.find((r) => r.form.get('grant_type') === 'authorization_code')!;
    expect(redeem.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

    const list = await call(server.url, 'GET', '/calendar/integrations', { headers: admin.headers });
    expect(list.body).toEqual({
      ok: true,
      integrations: [{ provider: 'google', status: 'connected', scopes: ['https://www.googleapis.com/auth/calendar'], connected_at: clock.now().toISOString(), updated_at: clock.now().toISOString() }],
    });

    await server.app.services.audit.flush();
    const audits = await query<{ route: string; actor_id: string; status: number }>(db, `select route, actor_id, status from audit_log where route like 'calendar:%' or route like '/calendar/%' order by seq`);
    expect(audits).toEqual(
      expect.arrayContaining([
        { route: '/calendar/google/connect', actor_id: admin.id, status: 200 },
        { route: 'calendar:google:connected', actor_id: admin.id, status: 200 },
      ]),
    );
    const [row] = await query<{ tokens_enc: string }>(db, `select tokens_enc from calendar_integrations where staff_id = '${admin.id}'`);
    const secrets = [...google.grants.refreshTokens, redeem.form.get('code')!, redeem.form.get('code_verifier')!];
    const everything = JSON.stringify(await query(db, 'select * from audit_log')) + server.logs.join('\n') + list.text + callback.text + row!.tokens_enc;
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(row!.tokens_enc).toMatch(/^v1\./);
  });

  it('refuses a replayed state with 400 and changes nothing', async () => {
    const callbackPath = await consent(await connect(staff, 'microsoft'));
    expect((await call(server.url, 'GET', callbackPath)).status).toBe(200);
    const before = await query(db, `select * from calendar_integrations where staff_id = '${staff.id}'`);
    const tokenCalls = microsoft.requests.length;
    const replay = await call(server.url, 'GET', callbackPath);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'Invalid or expired OAuth state', code: 'INVALID_OAUTH_STATE' });
    expect(await query(db, `select * from calendar_integrations where staff_id = '${staff.id}'`)).toEqual(before);
    expect(microsoft.requests.length).toBe(tokenCalls);
    await call(server.url, 'DELETE', '/calendar/integrations/microsoft', { headers: staff.headers });
  });

  it('refuses an expired state (10 minutes), an unknown one, and one issued for the other provider', async () => {
    const start = clock.now();
    const expired = await consent(await connect(staff, 'google'));
    clock.advance(10 * 60 * 1000 + 1000);
    expect((await call(server.url, 'GET', expired)).body).toMatchObject({ code: 'INVALID_OAUTH_STATE' });
    // Staff tokens are short-lived: later steps run at the start time again.
    clock.set(start);
    expect((await call(server.url, 'GET', '/calendar/google/callback?state=made-up&code=x')).body).toMatchObject({ code: 'INVALID_OAUTH_STATE' });
    const forGoogle = await consent(await connect(staff, 'google'));
    const crossed = await call(server.url, 'GET', forGoogle.replace('/calendar/google/', '/calendar/microsoft/'));
    expect(crossed.status).toBe(400);
    expect(crossed.body).toMatchObject({ code: 'INVALID_OAUTH_STATE' });
    expect(await integrations(staff)).toEqual([]);
    // The right callback still works: the crossed attempt did not spend it.
    expect((await call(server.url, 'GET', forGoogle)).status).toBe(200);
    expect((await integrations(staff)).map((i) => i.provider)).toEqual(['google']);
    await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers });
  });

  it('sends the stored verifier, which the fake checks: a code redeemed under another consent’s verifier fails and stores nothing', async () => {
    const first = new URL(await consent(await connect(staff, 'google')), 'http://x');
    const other = new URL(await consent(await connect(staff, 'google')), 'http://x');
    // The code of the first consent with the state (hence the verifier) of the second.
    const mixed = await call(server.url, 'GET', `/calendar/google/callback?state=${other.searchParams.get('state')}&code=${encodeURIComponent(first.searchParams.get('code')!)}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body).toMatchObject({ code: 'OAUTH_FAILED', message: 'The provider answered invalid_grant' });
    expect(await integrations(staff)).toEqual([]);
  });

  it('reports a declined consent as 400 OAUTH_DECLINED and stores nothing', async () => {
    const { searchParams } = new URL(await consent(await connect(staff, 'microsoft')), 'http://x');
    const declined = await call(server.url, 'GET', `/calendar/microsoft/callback?state=${searchParams.get('state')}&error=access_denied&error_description=denied`);
    expect(declined.body).toMatchObject({ code: 'OAUTH_DECLINED' });
    expect(await integrations(staff)).toEqual([]);
    // A matching state without a code, or naming another issuer (RFC 9207), is refused without calling the provider.
    const calls = microsoft.requests.length;
    for (const extra of ['', `&code=abc&iss=${encodeURIComponent('https://evil.example')}`]) {
      const { searchParams: again } = new URL(await consent(await connect(staff, 'microsoft')), 'http://x');
      const refusedCallback = await call(server.url, 'GET', `/calendar/microsoft/callback?state=${again.get('state')}${extra}`);
      expect(refusedCallback.status).toBe(400);
      expect(refusedCallback.body).toMatchObject({ code: 'OAUTH_FAILED' });
    }
    expect(microsoft.requests.filter((r) => r.method === 'POST').length).toBe(microsoft.requests.slice(0, calls).filter((r) => r.method === 'POST').length);
    expect(await integrations(staff)).toEqual([]);
  });

  it('refreshes an expired token once however many callers and instances ask, and stores the rotated refresh token', async () => {
    const start = clock.now();
    await connectFully(staff, 'microsoft');
    const tokens = server.app.services.calendarTokens;
    const fresh = await tokens.accessToken(staff.id, 'microsoft');
    expect(microsoft.grants.isLiveAccessToken(fresh)).toBe(true);
    const refreshes = () => microsoft.requests.filter((r) => r.form.get('grant_type') === 'refresh_token').length;
    const before = refreshes();
    expect(await tokens.accessToken(staff.id, 'microsoft')).toBe(fresh);
    expect(refreshes()).toBe(before);

    clock.advance(HOUR);
    const results = await Promise.all([...Array.from({ length: 3 }, () => tokens.accessToken(staff.id, 'microsoft')), ...Array.from({ length: 3 }, () => second.app.services.calendarTokens.accessToken(staff.id, 'microsoft'))]);
    expect(refreshes()).toBe(before + 1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(fresh);
    expect(microsoft.grants.isLiveAccessToken(results[0]!)).toBe(true);

    // The fake retired the old refresh token: a second refresh works only with the stored rotated one.
    clock.advance(HOUR);
    const again = await tokens.accessToken(staff.id, 'microsoft');
    expect(microsoft.grants.isLiveAccessToken(again)).toBe(true);
    expect(refreshes()).toBe(before + 2);
    clock.set(start);
    await call(server.url, 'DELETE', '/calendar/integrations/microsoft', { headers: staff.headers });
  });

  it('changes nothing when the provider fails otherwise (a 503), and the next use refreshes', async () => {
    const start = clock.now();
    await connectFully(staff, 'google');
    const before = await query(db, `select * from calendar_integrations where staff_id = '${staff.id}'`);
    clock.advance(HOUR);
    google.failNext({ status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/html' } });
    await expect(server.app.services.calendarTokens.accessToken(staff.id, 'google')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(await query(db, `select * from calendar_integrations where staff_id = '${staff.id}'`)).toEqual(before);
    expect(google.grants.isLiveAccessToken(await server.app.services.calendarTokens.accessToken(staff.id, 'google'))).toBe(true);
    expect((await query<{ n: number }>(db, `select count(*)::int as n from alerts where type = 'calendar_reauth_required'`))[0]!.n).toBe(0);
    clock.set(start);
    await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers });
  });

  it('marks the integration needs_reauth on invalid_grant, raises an alert, and lists it so', async () => {
    const start = clock.now();
    await connectFully(staff, 'google');
    google.grants.revokeAll();
    clock.advance(HOUR);
    await expect(server.app.services.calendarTokens.accessToken(staff.id, 'google')).rejects.toBeInstanceOf(CalendarReauthRequired);
    clock.set(start);
    expect(await integrations(staff)).toEqual([expect.objectContaining({ provider: 'google', status: 'needs_reauth' })]);
    const alerts = await query<{ type: string; subject_id: string }>(db, `select type, subject_id from alerts where type = 'calendar_reauth_required'`);
    expect(alerts).toEqual([{ type: 'calendar_reauth_required', subject_id: staff.id }]);
    // No second attempt at the provider once it said the grant is gone.
    const calls = google.requests.length;
    await expect(server.app.services.calendarTokens.accessToken(staff.id, 'google')).rejects.toBeInstanceOf(CalendarReauthRequired);
    expect(google.requests.length).toBe(calls);
    // Connecting again restores it.
    await connectFully(staff, 'google');
    expect(await integrations(staff)).toEqual([expect.objectContaining({ provider: 'google', status: 'connected' })]);
  });

  it('disconnects: revokes at Google and deletes the row; Microsoft has nothing to revoke; 404 when not connected', async () => {
    await server.app.services.audit.flush();
    const deletes = `select route from audit_log where actor_id = '${staff.id}' and method = 'DELETE' and status = 200 order by seq`;
    const audited = (await query(db, deletes)).length;
    const refresh = [...google.grants.refreshTokens];
    const res = await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers });
    expect(res.body).toEqual({ ok: true, provider: 'google', revoked_at_provider: true });
    const revoke = google.requests.filter((r) => r.path === '/revoke').at(-1)!;
    expect(refresh).toContain(revoke.form.get('token'));
    expect(google.grants.refreshTokens).not.toContain(revoke.form.get('token'));
    expect(await query(db, `select id from calendar_integrations where staff_id = '${staff.id}'`)).toEqual([]);
    expect((await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers })).status).toBe(404);

    await connectFully(staff, 'microsoft');
    expect((await call(server.url, 'DELETE', '/calendar/integrations/microsoft', { headers: staff.headers })).body).toEqual({ ok: true, provider: 'microsoft', revoked_at_provider: false });
    await server.app.services.audit.flush();
    const audits = await query<{ route: string }>(db, deletes);
    expect(audits.slice(audited).map((a) => a.route)).toEqual(['/calendar/integrations/{provider}', '/calendar/integrations/{provider}']);
  });

  it('keeps each staff member to their own calendars', async () => {
    expect((await integrations(admin)).map((i) => i.provider)).toEqual(['google']);
    expect(await integrations(staff)).toEqual([]);
    expect((await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers })).status).toBe(404);
    expect((await integrations(admin)).map((i) => i.provider)).toEqual(['google']);
  });

  it("runs the seed's Settings snippet verbatim, and the SDK's calendar resource connects, lists and disconnects", async () => {
    // The seed's axios-style `api`, carrying the staff token.
    const api = { get: async (path: string) => ({ data: (await call(server.url, 'GET', path, { headers: staff.headers })).body }) };
    const window = { location: { href: '' } };
    // In src/pages/Settings.jsx (the seed, verbatim)
    const connectGoogleCalendar = async () => {
      const response = await api.get('/calendar/google/connect');
      if (response.data.ok) {
        window.location.href = response.data.authUrl;
      }
    };
    const connectOutlookCalendar = async () => {
      const response = await api.get('/calendar/microsoft/connect');
      if (response.data.ok) {
        window.location.href = response.data.authUrl;
      }
    };
    await connectOutlookCalendar();
    expect(window.location.href.startsWith(`${microsoft.url}/common/oauth2/v2.0/authorize?`)).toBe(true);
    await connectGoogleCalendar();
    expect((await call(server.url, 'GET', await consent(window.location.href))).status).toBe(200);

    const email = `sdk-calendar-${backendName}@careos.test`;
    const account = await server.app.services.staff.create({ email, password: 'staff password 1', name: 'Cal', role: 'staff' });
    const sdk = new CareOS({ baseURL: server.url, staffEmail: email, staffPassword: 'staff password 1', maxRetries: 0, env: {} });
    try {
      const { authUrl } = await sdk.calendar.connectMicrosoft();
      expect((await call(server.url, 'GET', await consent(authUrl))).status).toBe(200);
      expect((await sdk.calendar.integrations()).integrations).toEqual([expect.objectContaining({ provider: 'microsoft', status: 'connected', scopes: ['Calendars.ReadWrite'] })]);
      expect(await server.app.services.calendarTokens.accessToken(account.id, 'microsoft')).toMatch(/^eyJ0/);
      expect(await sdk.calendar.disconnect('microsoft')).toEqual({ ok: true, provider: 'microsoft', revoked_at_provider: false });
      await expect(sdk.calendar.disconnect('microsoft')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    } finally {
      await sdk.close();
    }
    await call(server.url, 'DELETE', '/calendar/integrations/google', { headers: staff.headers });
  });

  it('needs a staff token on every route but the callback', async () => {
    for (const path of ['/calendar/google/connect', '/calendar/microsoft/connect', '/calendar/integrations']) expect((await call(server.url, 'GET', path)).status).toBe(401);
    expect((await call(server.url, 'DELETE', '/calendar/integrations/google')).status).toBe(401);
  });
});

describe('calendar OAuth without provider settings', () => {
  it('answers 503 NOT_CONFIGURED naming the variables, and the sandbox answers 404 while it is off', async () => {
    const backend = await createBackend('pglite');
    const server = await startApp({ db: await backend.open(), env: testEnv({ keys }) });
    try {
      const admin = await staffSession(server, 'admin');
      const res = await call(server.url, 'GET', '/calendar/microsoft/connect', { headers: admin.headers });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'NOT_CONFIGURED', error: 'Calendar provider not configured', message: expect.stringContaining('MICROSOFT_CLIENT_ID') });
      // The sandbox is off unless asked for: connect says how to turn it on, and it serves nothing.
      const sandbox = await call(server.url, 'GET', '/calendar/sandbox/connect', { headers: admin.headers });
      expect(sandbox.status).toBe(503);
      expect(sandbox.body).toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringContaining('CAREOS_CALENDAR_SANDBOX=1') });
      for (const path of ['/sandbox/calendar/oauth/authorize', '/sandbox/calendar/api/calendar/v3/calendars/primary/events']) {
        expect((await call(server.url, 'GET', path)).body).toMatchObject({ code: 'NOT_FOUND' });
      }
      expect((await call(server.url, 'POST', '/sandbox/calendar/oauth/token', { raw: 'grant_type=refresh_token', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
    } finally {
      await server.close();
      await backend.dispose();
    }
  });
});
