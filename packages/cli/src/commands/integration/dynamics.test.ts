import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { rawIntegrationGet, useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const dynamics = (coupleId: string, ...args: string[]) => runCli(['integration', 'dynamics', coupleId, ...args], { env: fx.integrationEnv() });

describe('careos integration dynamics', () => {
  it('--json prints exactly what the API returns, for a couple where both consented and one where only one did', async () => {
    for (const id of [fx.demo.integration.coupleId, fx.demo.integration.partialCoupleId]) {
      const result = await dynamics(id, '--json');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(await rawIntegrationGet(fx, `/api/integration/couples/${id}/dynamics`));
    }
  });

  it('shows both partners, matchups and the profile; a partner who has not consented is withheld', async () => {
    const both = await dynamics(fx.demo.integration.coupleId);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(/^Partner 1: Jane Doe/m);
    expect(both.stdout).toMatch(/^Partner 2: John Doe/m);
    expect(both.stdout).toContain('Matchups');
    expect(both.stdout).toContain('Couple profile');

    const partialJson = JSON.parse((await dynamics(fx.demo.integration.partialCoupleId, '--json')).stdout);
    const withheldSide = partialJson.withheld[0] === 'partner1' ? 'Partner 1' : 'Partner 2';
    const partial = await dynamics(fx.demo.integration.partialCoupleId);
    expect(partial.stdout).toContain(`${withheldSide}: withheld (this partner has not consented to this therapist)`);
    expect(partial.stdout).not.toContain('Couple profile');
    expect(partial.stdout).toContain('shown only when both consented');
  });

  it('an unknown couple is an API error (exit 3)', async () => {
    const result = await dynamics('cpl_doesnotexist');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^careos: 40[34] /);
  });
});
