import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const adjust = (...args: string[]) => runCli(['inventory', 'adjust', ...args], { env: fx.adminEnv() });

describe('careos inventory adjust', () => {
  it('takes away and adds stock; taking more than there is exits 3 with INSUFFICIENT_STOCK and changes nothing', async () => {
    const [forms] = (await fx.ops.inventory.list({ q: 'intake' })).data;
    const took = await adjust(forms!.id, '--by', '-2');
    expect(took.code, took.stderr).toBe(0);
    expect(took.stdout).toMatch(/^Took away 2: 4 left$/m);
    expect(took.stdout).toMatch(/^stock\s+low/m);

    const added = await adjust(forms!.id, '--by', '+10', '--json');
    expect(JSON.parse(added.stdout)).toMatchObject({ quantity: 14, low_stock: false });

    const refused = await adjust(forms!.id, '--by', '-15');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Insufficient stock');
    expect(refused.stderr).toContain('Only 14 in stock; cannot take away 15');
    expect((await fx.ops.inventory.retrieve(forms!.id)).quantity).toBe(14);
  });

  it('refuses a zero, a fraction or a missing --by as usage errors', async () => {
    const [item] = (await fx.ops.inventory.list({ limit: 1 })).data;
    for (const args of [['--by', '0'], ['--by', '1.5'], []]) expect((await adjust(item!.id, ...args)).code, args.join(' ')).toBe(2);
  });
});
