import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';

let fx: DemoFixture;
let staffEnv: Record<string, string>;
beforeAll(async () => {
  fx = await startDemoFixture();
  await fx.server.app.services.staff.create({ name: 'Nurse', email: 'nurse@careos.test', password: 'nurse password 1', role: 'staff' });
  staffEnv = { ...fx.adminEnv(), CAREOS_ADMIN_EMAIL: 'nurse@careos.test', CAREOS_ADMIN_PASSWORD: 'nurse password 1' };
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

const create = (args: string[], env = fx.adminEnv()) => runCli(['inventory', 'create', ...args], { env });

describe('careos inventory create', () => {
  it('adds an item (admin) and prints it as the API returns it', async () => {
    const result = await create(['--name', 'Saline 10 ml', '--quantity', '40', '--sku', 'SAL-10', '--unit', 'ampoule', '--threshold', '8', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const item = JSON.parse(result.stdout);
    expect(item).toMatchObject({ name: 'Saline 10 ml', quantity: 40, sku: 'SAL-10', unit: 'ampoule', low_stock_threshold: 8, low_stock: false });
    expect(await fx.ops.inventory.retrieve(item.id)).toEqual(item);
  });

  it('refuses a taken SKU (API error), a missing or negative quantity (usage) and a staff account (API error)', async () => {
    const taken = await create(['--name', 'Again', '--quantity', '1', '--sku', 'SAL-10']);
    expect(taken.code).toBe(3);
    expect(taken.stderr).toContain('An inventory item with this SKU already exists');
    expect((await create(['--name', 'No quantity'])).code).toBe(2);
    expect((await create(['--name', 'Negative', '--quantity', '-1'])).code).toBe(2);
    const byStaff = await create(['--name', 'Nope', '--quantity', '1'], staffEnv);
    expect(byStaff.code).toBe(3);
    expect(byStaff.stderr).toContain('Insufficient role');
  });
});
