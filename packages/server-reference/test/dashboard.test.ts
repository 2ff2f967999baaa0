// GET /dashboard over real HTTP: every figure exact after contacts are created and deleted,
// leads ingested, messages sent and failed, stock falls low and alerts are dismissed, checked
// against counts taken straight from the tables; "new this week" follows the clock; on
// PostgreSQL, 50 concurrent contact creations and deletions leave the counter exact.
import { Dashboard } from '@careos/contract';
import { CareOS } from '@careos/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { SmsProvider } from '../src/providers/types.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const DAY_MS = 24 * 60 * 60 * 1000;
/** The SMS provider refuses messages to this number. */
const REFUSED_PHONE = '+14155550199';
/** The business time zone the bookings figures are read in. */
const TIME_ZONE = 'America/New_York';

describe.each(backendNames())('dashboard (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: StaffSession;
  let staff: StaffSession;
  const clock = new ManualClock('2026-12-07T09:30:00Z');

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    const sms: SmsProvider = {
      name: 'console',
      send: async (message) => {
        if (message.to === REFUSED_PHONE) throw new Error('carrier refused the number');
        return { providerMessageId: null };
      },
    };
    server = await startApp({ db, clock, env: testEnv({ keys }), providers: { sms } });
    admin = await staffSession(server, 'admin');
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const as = (who: StaffSession, method: string, path: string, json?: unknown) =>
    call(server.url, method, path, { headers: who.headers, ...(json === undefined ? {} : { json }) });
  const dashboard = async (who: StaffSession = staff) => {
    await server.app.flush();
    const res = await as(who, 'GET', '/dashboard');
    expect(res.status, res.text).toBe(200);
    return Dashboard.parse(res.body);
  };
  const createContact = async (body: Record<string, unknown>) => {
    const res = await as(staff, 'POST', '/contacts', body);
    expect(res.status, res.text).toBe(201);
    return res.body.contact.id as string;
  };
  /** Moves the clock, and logs in again: tokens carry the time they were issued. */
  const at = async (time: string) => {
    clock.set(time);
    [admin, staff] = [await staffSession(server, 'admin'), await staffSession(server, 'staff')];
  };
  const count = async (query: ReturnType<typeof sql>) => Number((await db.rows<{ n: number }>(query))[0]!.n);
  /** The same figures counted the slow way, from the rows themselves. */
  const fromTables = async () => {
    const weekStart = new Date(Date.UTC(clock.now().getUTCFullYear(), clock.now().getUTCMonth(), clock.now().getUTCDate()) - 6 * DAY_MS).toISOString();
    return {
      contacts: {
        total: await count(sql`select count(*)::int as n from users where deleted_at is null`),
        new_this_week: await count(sql`select count(*)::int as n from users where deleted_at is null and created_at >= ${weekStart}::timestamptz`),
      },
      leads: {
        total: await count(sql`select count(*)::int as n from leads`),
        new_this_week: await count(sql`select count(*)::int as n from leads where created_at >= ${weekStart}::timestamptz`),
      },
      bookings: await bookingsFromTables(),
      inventory: { low_stock: await count(sql`select count(*)::int as n from inventory_items where quantity <= low_stock_threshold`) },
      alerts: {
        active: await count(sql`select count(*)::int as n from alerts where dismissed_at is null`),
        by_severity: {
          critical: await count(sql`select count(*)::int as n from alerts where dismissed_at is null and severity = 'critical'`),
          warning: await count(sql`select count(*)::int as n from alerts where dismissed_at is null and severity = 'warning'`),
          info: await count(sql`select count(*)::int as n from alerts where dismissed_at is null and severity = 'info'`),
        },
      },
      messages: {
        queued: await count(sql`select count(*)::int as n from messages where status = 'queued'`),
        failed: await count(sql`select count(*)::int as n from messages where status = 'failed'`),
      },
    };
  };

  /** The bookings figures counted from the rows, "today" in the business time zone (`TIME_ZONE`). */
  const bookingsFromTables = async () => {
    const now = clock.now().toISOString();
    const day = sql`(date_trunc('day', ${now}::timestamptz at time zone ${TIME_ZONE}) at time zone ${TIME_ZONE})`;
    const completed = await count(sql`select count(*)::int as n from bookings where status = 'completed'`);
    const noShows = await count(sql`select count(*)::int as n from bookings where status = 'no_show'`);
    return {
      today: await count(sql`select count(*)::int as n from bookings where starts_at >= ${day} and starts_at < ${day} + interval '1 day' and status <> 'cancelled'`),
      upcoming: await count(sql`select count(*)::int as n from bookings where starts_at >= ${now}::timestamptz and starts_at < ${now}::timestamptz + interval '7 days' and status = 'scheduled'`),
      no_show_rate: completed + noShows === 0 ? null : Math.round((noShows / (completed + noShows)) * 1000) / 1000,
    };
  };

  it('starts at zero, and answers staff and admins alike', async () => {
    const empty = await dashboard();
    expect(empty).toEqual({
      contacts: { total: 0, new_this_week: 0 },
      leads: { total: 0, new_this_week: 0 },
      bookings: { today: 0, upcoming: 0, no_show_rate: null },
      inventory: { low_stock: 0 },
      alerts: { active: 0, by_severity: { critical: 0, warning: 0, info: 0 } },
      messages: { queued: 0, failed: 0 },
      generated_at: '2026-12-07T09:30:00.000Z',
    });
    expect(await dashboard(admin)).toEqual(empty);
    expect((await call(server.url, 'GET', '/dashboard')).status).toBe(401);
  });

  it('counts contacts created and deleted, and those of the last 7 days', async () => {
    await at('2026-11-27T12:00:00Z'); // 10 days earlier: not this week
    const old = [await createContact({ name: 'Old One', email: 'old1@example.com' }), await createContact({ name: 'Old Two', email: 'old2@example.com' })];
    await at('2026-12-01T00:00:00Z'); // the first day of the 7 ending on 2026-12-07
    const recent = [await createContact({ name: 'Recent One', phone: uniquePhone() }), await createContact({ name: 'Refused Phone', phone: REFUSED_PHONE })];
    await at('2026-12-07T09:30:00Z');
    recent.push(await createContact({ name: 'Today', email: 'today@example.com' }));

    let figures = await dashboard();
    expect(figures.contacts).toEqual({ total: 5, new_this_week: 3 });
    expect(figures.messages).toEqual({ queued: 0, failed: 1 });
    expect(figures.alerts.active).toBe(1); // the refused welcome SMS

    expect((await as(admin, 'DELETE', `/contacts/${old[0]}`)).status).toBe(200);
    expect((await as(admin, 'DELETE', `/contacts/${recent[0]}`)).status).toBe(200);
    expect((await as(admin, 'DELETE', `/contacts/${recent[0]}`)).status).toBe(404); // counted once
    expect((await as(staff, 'PATCH', `/contacts/${recent[2]}`, { name: 'Today Renamed' })).status).toBe(200);
    figures = await dashboard();
    expect(figures.contacts).toEqual({ total: 3, new_this_week: 2 });

    await at('2026-12-08T00:00:00Z'); // a day later, 2026-12-01 leaves the week
    expect((await dashboard()).contacts).toEqual({ total: 3, new_this_week: 1 });
    await at('2026-12-07T09:30:00Z');
    const { generated_at: _, ...counted } = await dashboard();
    expect(counted).toEqual(await fromTables());
  });

  it('counts leads, the people they bring, low stock and alerts as they are dismissed', async () => {
    const before = await dashboard();
    const phone = uniquePhone();
    for (const body of [leadBody({ keys, phone }), leadBody({ keys, phone }), leadBody({ keys })]) {
      const res = await call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: partnerHeaders() });
      expect(res.status, res.text).toBe(200);
    }
    await server.app.services.leads.drain();
    let figures = await dashboard();
    expect(figures.leads.total - before.leads.total).toBe(3);
    expect(figures.leads.new_this_week - before.leads.new_this_week).toBe(3);
    expect(figures.contacts.total - before.contacts.total).toBe(2); // two phones: two people

    for (const [name, quantity] of [['Gloves', 2], ['Masks', 50], ['Gauze', 0]] as const) {
      expect((await as(admin, 'POST', '/inventory', { name, quantity, low_stock_threshold: 5 })).status).toBe(201);
    }
    figures = await dashboard();
    expect(figures.inventory.low_stock).toBe(2);
    expect(figures.alerts.active - before.alerts.active).toBe(2);
    expect(figures.alerts.by_severity.warning - before.alerts.by_severity.warning).toBe(2);

    const active = (await as(staff, 'GET', '/alerts?dismissed=false')).body.alerts as { id: string }[];
    for (const alert of active) expect((await as(staff, 'PATCH', `/alerts/${alert.id}/dismiss`)).status).toBe(200);
    expect((await as(staff, 'PATCH', `/alerts/${active[0]!.id}/dismiss`)).status).toBe(200); // again: no change
    figures = await dashboard();
    expect(figures.alerts).toEqual({ active: 0, by_severity: { critical: 0, warning: 0, info: 0 } });
    expect(figures.inventory.low_stock).toBe(2); // dismissing an alert restocks nothing
    const { generated_at: _, ...counted } = figures;
    expect(counted).toEqual(await fromTables());
  });

  it("counts bookings of the business's today (its time zone), the coming week and the no-show rate", async () => {
    await at('2026-12-07T09:30:00Z'); // 04:30 in New York: its today is 2026-12-07T05:00Z to 2026-12-08T05:00Z
    expect((await as(admin, 'PATCH', '/admin/settings', { time_zone: TIME_ZONE })).status).toBe(200);
    const contactId = await createContact({ name: 'Booked Person', email: 'booked@example.com' });
    const book = async (startsAt: string, staffId = staff.id) => {
      const res = await as(staff, 'POST', '/bookings', { contact_id: contactId, staff_id: staffId, service: 'Visit', starts_at: startsAt, duration_minutes: 30 });
      expect(res.status, res.text).toBe(201);
      return res.body.booking.id as string;
    };
    const close = async (id: string, status: string) => expect((await as(staff, 'PATCH', `/bookings/${id}`, { status })).status).toBe(200);
    await book('2026-12-07T06:00:00Z'); // 01:00 local, already begun: today, not upcoming
    await book('2026-12-08T04:30:00Z'); // 23:30 local: today and upcoming
    await book('2026-12-08T05:30:00Z'); // 00:30 tomorrow local: upcoming only
    await close(await book('2026-12-07T15:00:00Z'), 'cancelled'); // cancelled: neither
    await book('2026-12-15T15:00:00Z'); // 8 days ahead: neither
    await close(await book('2026-12-01T15:00:00Z'), 'completed');
    await close(await book('2026-12-02T15:00:00Z'), 'completed');
    await close(await book('2026-12-03T15:00:00Z'), 'no_show');
    await close(await book('2026-12-04T15:00:00Z', admin.id), 'completed');

    const figures = await dashboard();
    expect(figures.bookings).toEqual({ today: 2, upcoming: 2, no_show_rate: 0.25 });
    const { generated_at: _, ...counted } = figures;
    expect(counted).toEqual(await fromTables());
  });

  it("reads the same figures through the SDK's dashboard.get()", async () => {
    await server.app.services.staff.create({ email: 'sdk-staff@careos.test', password: 'staff password 1', name: 'SDK', role: 'staff' });
    const client = new CareOS({ baseURL: server.url, staffEmail: 'sdk-staff@careos.test', staffPassword: 'staff password 1', maxRetries: 0, env: {} });
    try {
      expect(await client.dashboard.get()).toEqual(await dashboard());
    } finally {
      await client.close();
    }
  });

  it.runIf(backendName === 'postgres')('stays exact under 50 concurrent contact creations, then 50 concurrent deletions', async () => {
    const before = (await dashboard()).contacts.total;
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => createContact({ name: `Parallel ${i}`, phone: uniquePhone() })));
    expect((await dashboard()).contacts.total).toBe(before + 50);
    const deleted = await Promise.all(ids.map((id) => as(admin, 'DELETE', `/contacts/${id}`)));
    expect(deleted.map((res) => res.status)).toEqual(ids.map(() => 200));
    expect((await dashboard()).contacts.total).toBe(before);
    const { generated_at: _, ...counted } = await dashboard();
    expect(counted).toEqual(await fromTables());
  });
});
