// Operations alerts over real HTTP: the alerts other services raise (failed SMS, payouts,
// webhook deliveries) listed with filters and pages, counted, read, and dismissed with who and when.
import { OpsAlert, OpsAlertCount, OpsAlertList } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();

describe.each(backendNames())('alerts (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: StaffSession;
  let staff: StaffSession;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, env: testEnv({ keys }) });
    admin = await staffSession(server, 'admin');
    staff = await staffSession(server, 'staff');
    const { alerts } = server.app.services;
    const raised = [
      ['sms', { type: 'sms_failed', severity: 'warning', message: 'SMS msg_1 could not be sent', context: { message_id: 'msg_1' } }],
      ['payout', { type: 'payout_failed', severity: 'critical', message: 'Payout po_1 failed', context: { payout_id: 'po_1' } }],
      ['webhook', { type: 'webhook_failed', severity: 'warning', message: 'Delivery failed', context: { delivery_id: 'whmsg_1' } }],
      ['info', { type: 'sms_failed', severity: 'info', message: 'SMS msg_2 could not be sent', context: { message_id: 'msg_2' } }],
    ] as const;
    for (const [name, input] of raised) {
      ids[name] = (await alerts.raise({ ...input, context: { ...input.context } }))!;
      clock.advance(1000);
    }
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const get = (who: StaffSession, path: string) => call(server.url, 'GET', path, { headers: who.headers });
  const dismiss = (who: StaffSession, id: string) => call(server.url, 'PATCH', `/alerts/${id}/dismiss`, { headers: who.headers });
  const listIds = async (query: string) => OpsAlertList.parse((await get(staff, `/alerts${query}`)).body).alerts.map((a) => a.id);

  it('lists alerts newest first, filtered by type, severity and dismissed', async () => {
    expect(await listIds('')).toEqual([ids.info, ids.webhook, ids.payout, ids.sms]);
    expect(await listIds('?type=sms_failed')).toEqual([ids.info, ids.sms]);
    expect(await listIds('?severity=warning')).toEqual([ids.webhook, ids.sms]);
    expect(await listIds('?type=sms_failed&severity=info')).toEqual([ids.info]);
    expect(await listIds('?dismissed=true')).toEqual([]);
    expect(await listIds('?type=nothing_like_it')).toEqual([]);
    for (const bad of ['?severity=urgent', '?dismissed=yes', '?limit=501', '?cursor=bm9wZQ']) {
      const res = await get(staff, `/alerts${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('pages with limit and next_cursor until every alert has been seen once', async () => {
    const first = OpsAlertList.parse((await get(staff, '/alerts?limit=3')).body);
    expect(first.alerts.map((a) => a.id)).toEqual([ids.info, ids.webhook, ids.payout]);
    const second = OpsAlertList.parse((await get(staff, `/alerts?limit=3&cursor=${first.next_cursor}`)).body);
    expect(second.alerts.map((a) => a.id)).toEqual([ids.sms]);
    expect(second.next_cursor).toBeNull();
  });

  it('reads one alert as raised, and 404s an unknown one', async () => {
    const payout = OpsAlert.parse((await get(staff, `/alerts/${ids.payout}`)).body);
    expect(payout).toEqual({
      id: ids.payout,
      type: 'payout_failed',
      severity: 'critical',
      message: 'Payout po_1 failed',
      context: { payout_id: 'po_1' },
      subject: null,
      created_at: '2026-03-02T09:00:01.000Z',
      dismissed_at: null,
      dismissed_by: null,
    });
    const missing = await get(staff, '/alerts/alrt_00000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('counts active alerts by severity, and a dismissal records who and when, once', async () => {
    expect(OpsAlertCount.parse((await get(staff, '/alerts/count')).body)).toEqual({ active: 4, by_severity: { critical: 1, warning: 2, info: 1 } });

    clock.set('2026-03-02T09:05:00Z');
    const byStaff = await dismiss(staff, ids.sms!);
    expect(byStaff.status).toBe(200);
    expect(byStaff.body).toMatchObject({ id: ids.sms, dismissed_at: '2026-03-02T09:05:00.000Z', dismissed_by: staff.id });

    // A second dismissal, by someone else and later, changes nothing.
    clock.set('2026-03-02T09:10:00Z');
    const again = await dismiss(admin, ids.sms!);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(byStaff.body);

    expect((await dismiss(admin, ids.payout!)).body).toMatchObject({ dismissed_at: '2026-03-02T09:10:00.000Z', dismissed_by: admin.id });
    expect(OpsAlertCount.parse((await get(admin, '/alerts/count')).body)).toEqual({ active: 2, by_severity: { critical: 0, warning: 1, info: 1 } });
    expect(await listIds('?dismissed=true')).toEqual([ids.payout, ids.sms]);
    expect(await listIds('?dismissed=false')).toEqual([ids.info, ids.webhook]);
    expect((await dismiss(staff, 'alrt_00000000000000000000000000')).status).toBe(404);
  });

  it('keeps the existing raise/list service contract the SMS, payout and webhook code relies on', async () => {
    const listed = await server.app.services.alerts.list({ type: 'sms_failed' });
    expect(listed.map((a) => a.id)).toEqual([ids.info, ids.sms]);
    expect(listed[1]!.context).toEqual({ message_id: 'msg_1' });
  });
});
