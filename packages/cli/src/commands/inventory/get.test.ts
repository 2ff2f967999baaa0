import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

describe('careos inventory get', () => {
  it('shows one item, as fields or as the API’s JSON; an unknown id is an API error', async () => {
    const [item] = (await fx.ops.inventory.list({ q: 'sanitiser' })).data;
    const json = await runCli(['inventory', 'get', item!.id, '--json'], { env: fx.adminEnv() });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(item);
    const human = await runCli(['inventory', 'get', item!.id], { env: fx.adminEnv() });
    expect(human.stdout).toMatch(/^quantity\s+24 bottle$/m);
    expect(human.stdout).toMatch(/^stock\s+ok$/m);
    const missing = await runCli(['inventory', 'get', 'inv_00000000000000000000000000'], { env: fx.adminEnv() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Not found');
  });
});
