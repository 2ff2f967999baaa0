import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';

let fx: DemoFixture;
beforeAll(async () => {
  fx = await startDemoFixture();
  // A second low item, its alert then dismissed: one active and one dismissed inventory_low alert.
  const item = await fx.ops.inventory.create({ name: 'Ice packs', quantity: 0 });
  const [alert] = (await fx.ops.alerts.list({ type: 'inventory_low' })).data.filter((a) => a.subject?.id === item.id);
  await fx.ops.alerts.dismiss(alert!.id);
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

const list = (...args: string[]) => runCli(['alerts', 'list', ...args], { env: fx.adminEnv() });

describe('careos alerts list', () => {
  it('--json prints one page exactly as the API returns it', async () => {
    const result = await list('--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual((await fx.ops.alerts.list()).body);
  });

  it('filters by type, severity and state, and pages with --limit and --cursor', async () => {
    const active = JSON.parse((await list('--type', 'inventory_low', '--active', '--json')).stdout).alerts;
    expect(active.map((a: { message: string }) => a.message)).toEqual([expect.stringContaining('Nitrile gloves (M) is low on stock')]);
    const dismissed = JSON.parse((await list('--dismissed', '--severity', 'warning', '--json')).stdout).alerts;
    expect(dismissed.map((a: { message: string }) => a.message)).toEqual([expect.stringContaining('Ice packs')]);
    expect(JSON.parse((await list('--severity', 'critical', '--type', 'inventory_low', '--json')).stdout).alerts).toEqual([]);
    const first = JSON.parse((await list('--limit', '1', '--type', 'inventory_low', '--json')).stdout);
    const second = JSON.parse((await list('--limit', '1', '--type', 'inventory_low', '--cursor', first.next_cursor, '--json')).stdout);
    expect([...first.alerts, ...second.alerts]).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
  });

  it('prints a table; contradictory or unknown filters are usage errors', async () => {
    const result = await list('--type', 'inventory_low');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+SEVERITY\s+TYPE\s+CREATED \(UTC\)\s+STATE\s+MESSAGE$/m);
    expect(result.stdout).toMatch(/^alrt_\S+\s+warning\s+inventory_low\s+.+\s+dismissed\s+Ice packs is low on stock/m);
    expect((await list('--active', '--dismissed')).code).toBe(2);
    expect((await list('--severity', 'urgent')).code).toBe(2);
  });
});
