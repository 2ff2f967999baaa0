// The SDK's inventory and alerts resources against the reference server: typed calls, list
// pages walked with `for await`, the 409 INSUFFICIENT_STOCK as a ConflictError, staff roles.
import { CareOS, ConflictError, PermissionDeniedError } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { sdkStaff } from './helpers/staff.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();

describe.each(backendNames())('SDK inventory and alerts against the reference server (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: CareOS;
  let staff: CareOS;
  let closeClients: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    ({ admin, staff, close: closeClients } = await sdkStaff(server));
  });
  afterAll(async () => {
    await closeClients?.();
    await server?.close();
    await backend?.dispose();
  });

  it('creates, adjusts and lists items; a decrement past zero is a ConflictError and changes nothing', async () => {
    const item = await admin.inventory.create({ name: 'Lancets', sku: 'LAN-1', quantity: 4, low_stock_threshold: 2 });
    for (let i = 0; i < 3; i++) await admin.inventory.create({ name: `Filler ${i}`, quantity: 50 });

    expect(await admin.inventory.adjust(item.id, -2)).toMatchObject({ quantity: 2, low_stock: true });
    const refused = await admin.inventory.adjust(item.id, -3).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK' });
    expect((await staff.inventory.retrieve(item.id)).quantity).toBe(2);

    const seen: string[] = [];
    for await (const each of staff.inventory.list({ limit: 2 })) seen.push(each.name);
    expect(seen).toEqual(['Filler 2', 'Filler 1', 'Filler 0', 'Lancets']);
    const low: string[] = [];
    for await (const each of staff.inventory.lowStock()) low.push(each.id);
    expect(low).toEqual([item.id]);

    expect(await admin.inventory.update(item.id, { quantity: 10, unit: 'box' })).toMatchObject({ quantity: 10, unit: 'box', low_stock: false });
    await expect(staff.inventory.adjust(item.id, -1)).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('lists, counts and dismisses alerts as the signed-in account', async () => {
    const lows = [];
    for await (const alert of staff.alerts.list({ type: 'inventory_low' })) lows.push(alert);
    // The Lancets fell to their threshold once and were restocked: one alert, resolved by the server.
    expect(lows).toHaveLength(1);
    expect(lows[0]).toMatchObject({ dismissed_by: null, dismissed_at: expect.any(String) });

    const item = await admin.inventory.create({ name: 'Test strips', quantity: 0 });
    expect(await staff.alerts.count()).toEqual({ active: 1, by_severity: { critical: 0, warning: 1, info: 0 } });
    const [active] = (await staff.alerts.list({ dismissed: 'false' })).data;
    expect(active).toMatchObject({ subject: { type: 'inventory_item', id: item.id } });
    const me = await server.app.services.staff.findByEmail('sdk-staff@careos.test');
    expect(await staff.alerts.dismiss(active!.id)).toMatchObject({ id: active!.id, dismissed_by: me!.id });
    expect((await admin.alerts.retrieve(active!.id)).dismissed_by).toBe(me!.id);
    expect((await admin.alerts.count()).active).toBe(0);
  });
});
