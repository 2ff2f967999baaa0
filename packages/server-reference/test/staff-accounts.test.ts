// Staff accounts and sessions: the bootstrap rule of POST /auth/register, admin-only account
// creation afterwards, rotating refresh tokens (a reused one revokes its session) and logout.
import { randomBytes } from 'node:crypto';
import { LoginResponse, StaffUser } from '@careos/contract';
import { CareOS } from '@careos/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
// The seed's own register body.
const SEED_ADMIN = { name: 'Admin', email: 'admin@careops.com', password: 'admin123', role: 'admin' };

describe.each(backendNames())('staff accounts and sessions (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  const clock = new ManualClock();
  let winnerEmail = '';

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, env: testEnv({ keys }) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}) => call(server.url, 'POST', path, { json, headers });
  const login = async (email: string, password: string) => LoginResponse.parse((await post('/auth/login', { email, password })).body);

  it('lets exactly one of 20 racing anonymous callers bootstrap the first admin, then refuses anonymous registration', async () => {
    const firstStaff = await post('/auth/register', { ...SEED_ADMIN, role: 'staff', email: 'early@careops.com' });
    expect(firstStaff.status).toBe(403);
    expect(firstStaff.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('first account must be an admin') });

    const racers = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/auth/register', { ...SEED_ADMIN, email: `admin${i}@careops.com` })));
    const statuses = racers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    const winner = StaffUser.parse(racers.find((r) => r.status === 201)!.body);
    winnerEmail = winner.email;
    expect(winner).toMatchObject({ role: 'admin', name: 'Admin' });
    expect(winner.id).toMatch(/^staff_/);

    const late = await post('/auth/register', SEED_ADMIN);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: 'Not authenticated', code: 'AUTH_FAILED' });
  });

  it('lets an admin create accounts; a staff token gets 403, a bad token 401, a taken email 409', async () => {
    const session = await login(winnerEmail, 'admin123');
    const asAdmin = { authorization: `Bearer ${session.access_token}` };

    const created = await post('/auth/register', { name: 'Nurse', email: 'Nurse@CareOps.com', password: 'nurse pass' }, asAdmin);
    expect(created.status).toBe(201);
    expect(StaffUser.parse(created.body)).toMatchObject({ email: 'nurse@careops.com', role: 'staff' });

    const nurse = await login('nurse@careops.com', 'nurse pass');
    const byStaff = await post('/auth/register', { name: 'X', email: 'x@careops.com', password: 'password1', role: 'admin' }, { authorization: `Bearer ${nurse.access_token}` });
    expect(byStaff.status).toBe(403);
    expect(byStaff.body).toMatchObject({ code: 'FORBIDDEN' });

    const badToken = await post('/auth/register', { name: 'X', email: 'x@careops.com', password: 'password1' }, { authorization: 'Bearer nonsense' });
    expect(badToken.status).toBe(401);

    const taken = await post('/auth/register', { name: 'Again', email: 'nurse@careops.com', password: 'password1' }, asAdmin);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'An account with this email already exists', code: 'ALREADY_EXISTS' });

    const short = await post('/auth/register', { name: 'X', email: 'y@careops.com', password: 'short' }, asAdmin);
    expect(short.status).toBe(400);
  });

  it("sends an SDK client's staff token to register, which the route takes optionally: an admin's creates, a staff member's is 403", async () => {
    const asAdmin = new CareOS({ baseURL: server.url, staffEmail: winnerEmail, staffPassword: 'admin123' });
    const asNurse = new CareOS({ baseURL: server.url, staffEmail: 'nurse@careops.com', staffPassword: 'nurse pass' });
    try {
      const created = await asAdmin.auth.register({ name: 'Desk', email: 'desk@careops.com', password: 'desk password' });
      expect(created).toMatchObject({ email: 'desk@careops.com', role: 'staff' });
      await expect(asNurse.auth.register({ name: 'Y', email: 'y2@careops.com', password: 'password1', role: 'admin' })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    } finally {
      await Promise.all([asAdmin.close(), asNurse.close()]);
    }
  });

  it('rotates refresh tokens; a spent one presented again revokes the whole session', async () => {
    const first = await login('nurse@careops.com', 'nurse pass');
    expect(first).toMatchObject({ expires_in: 900, refresh_expires_in: 30 * 86_400 });
    expect(first.refresh_token).toMatch(/^careos_rt_[A-Za-z0-9_-]{43}$/);

    const second = LoginResponse.parse((await post('/auth/refresh', { refresh_token: first.refresh_token })).body);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.user.email).toBe('nurse@careops.com');
    const third = LoginResponse.parse((await post('/auth/refresh', { refresh_token: second.refresh_token })).body);

    const reused = await post('/auth/refresh', { refresh_token: first.refresh_token });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ error: 'Invalid refresh token', code: 'REFRESH_TOKEN_REUSED' });
    // The copy's holder and the rightful one both have to log in again.
    const afterReuse = await post('/auth/refresh', { refresh_token: third.refresh_token });
    expect(afterReuse.status).toBe(401);

    // Another login is another session, untouched.
    const other = await login('nurse@careops.com', 'nurse pass');
    expect((await post('/auth/refresh', { refresh_token: other.refresh_token })).status).toBe(200);
    expect(server.logs.join('\n')).not.toContain(first.refresh_token);
  });

  it('answers 401 TOKEN_EXPIRED for an expired access token and an expired refresh token', async () => {
    const session = await login('nurse@careops.com', 'nurse pass');
    clock.advance(901_000);
    const dashboard = await call(server.url, 'GET', '/admin/leads', { headers: { authorization: `Bearer ${session.access_token}` } });
    expect(dashboard.status).toBe(401);
    expect(dashboard.body).toMatchObject({ code: 'TOKEN_EXPIRED' });
    // The refresh token outlives it and renews it.
    const renewed = await post('/auth/refresh', { refresh_token: session.refresh_token });
    expect(renewed.status).toBe(200);
    clock.advance(31 * 86_400_000);
    const stale = await post('/auth/refresh', { refresh_token: LoginResponse.parse(renewed.body).refresh_token });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('logs out: the session’s refresh tokens stop working, and an unknown token is 401', async () => {
    const session = await login('nurse@careops.com', 'nurse pass');
    const out = await post('/auth/logout', { refresh_token: session.refresh_token });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ logged_out: true });
    expect((await post('/auth/refresh', { refresh_token: session.refresh_token })).status).toBe(401);
    const unknown = await post('/auth/logout', { refresh_token: `careos_rt_${randomBytes(32).toString('base64url')}` });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: 'Invalid refresh token' });
  });

  it('audits registrations and refreshes against the account, never with its email or tokens', async () => {
    await server.app.flush();
    const rows = await db.rows<{ route: string; status: number; subject_id: string | null }>(sql`select route, status, subject_id from audit_log where route like '/auth/%' order by seq`);
    expect(rows.some((r) => r.route === '/auth/register' && r.status === 201 && r.subject_id?.startsWith('staff_'))).toBe(true);
    expect(rows.some((r) => r.route === '/auth/refresh' && r.status === 401)).toBe(true);
    const dump = JSON.stringify(await db.rows(sql`select * from audit_log`)) + JSON.stringify(await db.rows(sql`select * from staff_refresh_tokens`));
    expect(dump).not.toContain('careops.com');
    expect(dump).not.toContain('careos_rt_');
  });
});

describe('staff account bootstrap in production mode', () => {
  it('has no anonymous first admin: the configured admin is the way in', async () => {
    const db = await (await createBackend('pglite')).open();
    const server = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_ENV: 'production', CAREOS_MASTER_KEY: randomBytes(32).toString('base64') } }) });
    try {
      const res = await call(server.url, 'POST', '/auth/register', { json: SEED_ADMIN });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ message: expect.stringContaining('CAREOS_ADMIN_EMAIL') });
    } finally {
      await server.close();
      await db.close();
    }
  });
});
