import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

describe('careos alerts count', () => {
  it('counts the active alerts, in all and by severity, and follows dismissals', async () => {
    const before = await runCli(['alerts', 'count', '--json'], { env: fx.adminEnv() });
    expect(before.code, before.stderr).toBe(0);
    const counts = JSON.parse(before.stdout);
    expect(counts).toEqual(await fx.ops.alerts.count());
    expect(counts.by_severity.warning).toBeGreaterThanOrEqual(1);

    const [low] = (await fx.ops.alerts.list({ type: 'inventory_low' })).data;
    await fx.ops.alerts.dismiss(low!.id);
    const after = await runCli(['alerts', 'count'], { env: fx.adminEnv() });
    expect(after.stdout).toMatch(new RegExp(`^active\\s+${counts.active - 1}$`, 'm'));
    expect(after.stdout).toMatch(new RegExp(`^warning\\s+${counts.by_severity.warning - 1}$`, 'm'));
  });
});
