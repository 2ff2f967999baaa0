// Inventory over real HTTP: create, read, list and change items; roles; atomic stock changes
// (100 concurrent decrements of a stock of 60) and the one low-stock alert per fall below the
// threshold, re-armed by a restock.
import { InventoryItem, InventoryList, OpsAlertList } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();

describe.each(backendNames())('inventory (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: StaffSession;
  let staff: StaffSession;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    admin = await staffSession(server, 'admin');
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const as = (who: StaffSession, method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    call(server.url, method, path, { headers: { ...who.headers, ...headers }, ...(json === undefined ? {} : { json }) });
  const create = async (body: Record<string, unknown>) => {
    const res = await as(admin, 'POST', '/inventory', body);
    expect(res.status, res.text).toBe(201);
    return InventoryItem.parse(res.body);
  };
  const lowAlertsOf = async (itemId: string) =>
    db.rows<{ id: string; dismissed_at: Date | null; dismissed_by: string | null }>(
      sql`select id, dismissed_at, dismissed_by from alerts where type = 'inventory_low' and subject_id = ${itemId} order by id`,
    );

  it('creates an item with defaults and refuses bad bodies, a taken SKU and a staff account', async () => {
    const item = await create({ name: '  Gauze pads  ', sku: 'GZ-1', quantity: 12 });
    expect(item).toMatchObject({ name: 'Gauze pads', sku: 'GZ-1', unit: null, quantity: 12, low_stock_threshold: 0, low_stock: false });
    expect(item.id).toMatch(/^inv_/);

    const missing = await as(admin, 'POST', '/inventory', { sku: 'X' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('Missing required fields: name or quantity');
    for (const bad of [{ name: 'A', quantity: -1 }, { name: 'A', quantity: 1.5 }, { name: 'A', quantity: '3' }, { name: 'A', quantity: 1, low_stock_threshold: -2 }]) {
      const res = await as(admin, 'POST', '/inventory', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body).toMatchObject({ error: 'Invalid request body', code: 'VALIDATION_FAILED' });
    }
    expect((await as(admin, 'POST', '/inventory', { name: '  ', quantity: 1 })).body).toMatchObject({ code: 'VALIDATION_FAILED', error: 'Missing required fields: name' });
    const taken = await as(admin, 'POST', '/inventory', { name: 'Other', sku: 'GZ-1', quantity: 1 });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'ALREADY_EXISTS', error: 'An inventory item with this SKU already exists' });

    const byStaff = await as(staff, 'POST', '/inventory', { name: 'Nope', quantity: 1 });
    expect(byStaff.status).toBe(403);
  });

  it('replays a create sent again with the same Idempotency-Key instead of adding a second item', async () => {
    const key = { 'idempotency-key': 'inventory-create-once' };
    const first = await as(admin, 'POST', '/inventory', { name: 'Syringes 5 ml', quantity: 100 }, key);
    const again = await as(admin, 'POST', '/inventory', { name: 'Syringes 5 ml', quantity: 100 }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const list = InventoryList.parse((await as(admin, 'GET', '/inventory?q=syringes')).body);
    expect(list.items).toHaveLength(1);
  });

  it('lets staff read, search, filter and page the inventory; unknown ids are 404', async () => {
    const low = await create({ name: 'Bandage 100% cotton', unit: 'roll', quantity: 2, low_stock_threshold: 5 });
    expect(low.low_stock).toBe(true);

    const got = await as(staff, 'GET', `/inventory/${low.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(low);
    expect((await as(staff, 'GET', '/inventory/inv_00000000000000000000000000')).status).toBe(404);

    // `%` in a search is a character, not a wildcard.
    const search = InventoryList.parse((await as(staff, 'GET', `/inventory?q=${encodeURIComponent('100%')}`)).body);
    expect(search.items.map((i) => i.id)).toEqual([low.id]);
    expect(InventoryList.parse((await as(staff, 'GET', '/inventory?q=xx%25')).body).items).toEqual([]);

    const lowOnly = InventoryList.parse((await as(staff, 'GET', '/inventory/low-stock')).body);
    expect(lowOnly.items.map((i) => i.id)).toEqual([low.id]);
    const filtered = InventoryList.parse((await as(staff, 'GET', '/inventory?low_stock=false')).body);
    expect(filtered.items.every((i) => !i.low_stock)).toBe(true);
    expect(filtered.items.length).toBeGreaterThanOrEqual(2);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(staff, 'GET', `/inventory?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      const pageBody = InventoryList.parse(res.body);
      expect(pageBody.items.length).toBeLessThanOrEqual(1);
      seen.push(...pageBody.items.map((i) => i.id));
      cursor = pageBody.next_cursor;
    } while (cursor);
    const all = InventoryList.parse((await as(staff, 'GET', '/inventory')).body).items.map((i) => i.id);
    expect(seen).toEqual(all);
    expect([...all].sort().reverse()).toEqual(all);

    for (const bad of ['/inventory?limit=0', '/inventory?low_stock=maybe', '/inventory?cursor=nope']) {
      expect((await as(staff, 'GET', bad)).status, bad).toBe(400);
    }
  });

  it('changes fields and stock for an admin only, refusing what cannot be done without changing anything', async () => {
    const item = await create({ name: 'Tongue depressors', sku: 'TD-1', quantity: 5, low_stock_threshold: 1 });
    const path = `/inventory/${item.id}`;

    const renamed = await as(admin, 'PATCH', path, { name: 'Wooden tongue depressors', unit: 'box', sku: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Wooden tongue depressors', unit: 'box', sku: null, quantity: 5 });

    expect((await as(admin, 'PATCH', path, { quantity: 9 })).body.quantity).toBe(9);
    expect((await as(admin, 'PATCH', path, { adjust_by: 3 })).body.quantity).toBe(12);

    const tooMany = await as(admin, 'PATCH', path, { adjust_by: -13 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', error: 'Insufficient stock', message: 'Only 12 in stock; cannot take away 13' });
    for (const bad of [{}, { quantity: 1, adjust_by: 1 }, { adjust_by: 0 }, { quantity: -1 }, { adjust_by: 2_000_000_000 }, { sku: '' }]) {
      const res = await as(admin, 'PATCH', path, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const overMax = await as(admin, 'PATCH', path, { adjust_by: 999_999_999 });
    expect(overMax.status).toBe(400);
    expect(overMax.body.details).toEqual([{ path: 'adjust_by', message: 'At most 999999988 for this item' }]);

    expect((await as(admin, 'PATCH', path, { sku: 'GZ-1' })).body.code).toBe('ALREADY_EXISTS');
    expect((await as(staff, 'PATCH', path, { adjust_by: -1 })).status).toBe(403);
    expect((await as(admin, 'PATCH', '/inventory/inv_00000000000000000000000000', { adjust_by: -1 })).status).toBe(404);
    expect((await as(admin, 'GET', path)).body.quantity).toBe(12);
  });

  it('takes exactly 60 of 100 concurrent decrements of a stock of 60, never below zero, with one low-stock alert', async () => {
    const item = await create({ name: 'Alcohol swabs', quantity: 60, low_stock_threshold: 10 });
    const results = await Promise.all(Array.from({ length: 100 }, () => as(admin, 'PATCH', `/inventory/${item.id}`, { adjust_by: -1 })));

    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(60);
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => r.body.code === 'INSUFFICIENT_STOCK')).toBe(true);
    // Each success saw a different stock: no two read the same value, so no update was lost.
    expect(ok.map((r) => r.body.quantity as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));

    const final = InventoryItem.parse((await as(admin, 'GET', `/inventory/${item.id}`)).body);
    expect(final).toMatchObject({ quantity: 0, low_stock: true });
    const alerts = await lowAlertsOf(item.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.dismissed_at).toBeNull();

    const listed = OpsAlertList.parse((await as(staff, 'GET', '/alerts?type=inventory_low&dismissed=false')).body);
    const mine = listed.alerts.filter((a) => a.subject?.id === item.id);
    expect(mine).toHaveLength(1);
    // Raised by the decrement that reached the threshold; no PHI, only the item and its figures.
    expect(mine[0]).toMatchObject({ severity: 'warning', subject: { type: 'inventory_item', id: item.id }, context: { item_id: item.id, quantity: 10, low_stock_threshold: 10 } });
  });

  it('resolves the alert on a restock above the threshold and raises a new one on the next fall', async () => {
    const item = await create({ name: 'Cotton balls', quantity: 8, low_stock_threshold: 5 });
    const path = `/inventory/${item.id}`;
    await as(admin, 'PATCH', path, { adjust_by: -3 });
    await as(admin, 'PATCH', path, { adjust_by: -2 });
    expect(await lowAlertsOf(item.id)).toHaveLength(1);

    // Back to the threshold is still low: no new alert, the first stays active.
    expect((await as(admin, 'PATCH', path, { quantity: 5 })).body.low_stock).toBe(true);
    const restocked = await as(admin, 'PATCH', path, { adjust_by: 20 });
    expect(restocked.body).toMatchObject({ quantity: 25, low_stock: false });
    const [first] = await lowAlertsOf(item.id);
    expect(first!.dismissed_at).not.toBeNull();
    expect(first!.dismissed_by).toBeNull();

    await as(admin, 'PATCH', path, { adjust_by: -21 });
    const after = await lowAlertsOf(item.id);
    expect(after).toHaveLength(2);
    expect(after.filter((a) => a.dismissed_at === null).map((a) => a.id)).toEqual([after[1]!.id]);

    // Raising the threshold over the stock is a fall too; the item already has its alert.
    await as(admin, 'PATCH', path, { low_stock_threshold: 50 });
    expect(await lowAlertsOf(item.id)).toHaveLength(2);
  });

  it('raises the alert at once for an item created at or below its threshold', async () => {
    const item = await create({ name: 'Specimen cups', quantity: 0 });
    expect(item.low_stock).toBe(true);
    expect(await lowAlertsOf(item.id)).toHaveLength(1);
  });

  it('seeds demo supplies once, one of them low on stock with its alert', async () => {
    await server.app.seedDemo();
    await server.app.seedDemo();
    const low = InventoryList.parse((await as(staff, 'GET', '/inventory/low-stock')).body).items.filter((i) => i.sku?.startsWith('DEMO-'));
    expect(low.map((i) => i.sku)).toEqual(['DEMO-GLOVES-M']);
    expect(InventoryList.parse((await as(staff, 'GET', '/inventory?q=intake')).body).items).toMatchObject([{ sku: 'DEMO-FORMS', low_stock: false }]);
    expect(await lowAlertsOf(low[0]!.id)).toHaveLength(1);
  });
});
