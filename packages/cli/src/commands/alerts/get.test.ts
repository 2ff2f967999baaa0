import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

describe('careos alerts get', () => {
  it('shows one alert and what it is about; an unknown id is an API error', async () => {
    const [low] = (await fx.ops.alerts.list({ type: 'inventory_low' })).data;
    const json = await runCli(['alerts', 'get', low!.id, '--json'], { env: fx.adminEnv() });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(low);
    const human = await runCli(['alerts', 'get', low!.id], { env: fx.adminEnv() });
    expect(human.stdout).toMatch(new RegExp(`^about\\s+inventory_item ${low!.subject!.id}$`, 'm'));
    expect(human.stdout).toMatch(/^dismissed\s+—$/m);
    expect((await runCli(['alerts', 'get', 'alrt_00000000000000000000000000'], { env: fx.adminEnv() })).code).toBe(3);
  });
});
