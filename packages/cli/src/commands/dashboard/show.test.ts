import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

describe('careos dashboard', () => {
  it('prints the figures as the API returns them with --json, and as lines for a person', async () => {
    const json = await runCli(['dashboard', '--json'], { env: fx.adminEnv() });
    expect(json.code, json.stderr).toBe(0);
    const figures = JSON.parse(json.stdout);
    const { generated_at: _, ...expected } = await fx.ops.dashboard.get();
    expect(figures).toMatchObject(expected);
    expect(figures.inventory.low_stock).toBeGreaterThanOrEqual(1); // the demo's gloves

    const human = await runCli(['dashboard'], { env: fx.adminEnv() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Contacts\\s+${expected.contacts.total} \\(${expected.contacts.new_this_week} new in 7 days\\)$`, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^Low stock\\s+${expected.inventory.low_stock} items?$`, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^Messages\\s+${expected.messages.queued} queued, ${expected.messages.failed} failed$`, 'm'));
  });

  it('exits 3 without a staff sign-in the server accepts', async () => {
    const res = await runCli(['dashboard'], { env: { ...fx.adminEnv(), CAREOS_ADMIN_PASSWORD: 'not the password' } });
    expect(res.code).toBe(3);
  });
});
