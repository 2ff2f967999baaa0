import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const update = (...args: string[]) => runCli(['inventory', 'update', ...args], { env: fx.adminEnv() });

describe('careos inventory update', () => {
  it('changes fields, removes the SKU with --no-sku and sets the stock', async () => {
    const item = await fx.ops.inventory.create({ name: 'Thermometer covers', sku: 'TC-1', quantity: 10 });
    const result = await update(item.id, '--name', 'Probe covers', '--no-sku', '--unit', 'pack', '--quantity', '200', '--threshold', '50', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: item.id, name: 'Probe covers', sku: null, unit: 'pack', quantity: 200, low_stock_threshold: 50 });
  });

  it('needs something to change (usage) and a known item (API error)', async () => {
    const [item] = (await fx.ops.inventory.list({ limit: 1 })).data;
    const nothing = await update(item!.id);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to change');
    expect((await update('inv_00000000000000000000000000', '--name', 'X')).code).toBe(3);
  });
});
