import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const lowStock = (...args: string[]) => runCli(['inventory', 'low-stock', ...args], { env: fx.adminEnv() });

describe('careos inventory low-stock', () => {
  it('lists the demo item below its threshold, as a table and as the API’s JSON', async () => {
    const json = await lowStock('--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual((await fx.ops.inventory.lowStock()).body);
    const table = await lowStock();
    expect(table.stdout).toMatch(/^inv_\S+\s+Nitrile gloves \(M\)\s+DEMO-GLOVES-M\s+3\s+box\s+5\s+low$/m);
    expect(table.stdout).not.toContain('DEMO-MASKS');
  });

  it('says so when nothing is low', async () => {
    const [gloves] = (await fx.ops.inventory.lowStock()).data;
    await fx.ops.inventory.adjust(gloves!.id, 10);
    const result = await lowStock();
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Nothing is low on stock.');
  });
});
