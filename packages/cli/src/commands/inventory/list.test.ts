import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const list = (...args: string[]) => runCli(['inventory', 'list', ...args], { env: fx.adminEnv() });

describe('careos inventory list', () => {
  it('--json prints one page exactly as the API returns it', async () => {
    const result = await list('--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual((await fx.ops.inventory.list()).body);
  });

  it('searches by name, filters what is low, and pages with --limit and --cursor', async () => {
    const found = JSON.parse((await list('--search', 'GLOVES', '--json')).stdout).items;
    expect(found.map((i: { sku: string }) => i.sku)).toEqual(['DEMO-GLOVES-M']);
    const low = JSON.parse((await list('--low-stock', '--json')).stdout).items;
    expect(low.map((i: { sku: string }) => i.sku)).toEqual(['DEMO-GLOVES-M']);
    const first = JSON.parse((await list('--limit', '3', '--json')).stdout);
    const second = JSON.parse((await list('--limit', '3', '--cursor', first.next_cursor, '--json')).stdout);
    expect([...first.items, ...second.items].map((i: { sku: string }) => i.sku).sort()).toEqual(['DEMO-FORMS', 'DEMO-GLOVES-M', 'DEMO-MASKS', 'DEMO-SANITISER']);
  });

  it('prints a table with the next page’s cursor; a bad limit is a usage error, a missing login too', async () => {
    const result = await list('--limit', '2');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+NAME\s+SKU\s+QUANTITY\s+UNIT\s+THRESHOLD\s+STOCK$/m);
    expect(result.stdout).toMatch(/^More: --cursor \S+$/m);
    expect((await list('--limit', '0')).code).toBe(2);
    expect((await runCli(['inventory', 'list', '--api-url', fx.server.url])).code).toBe(2);
  });
});
