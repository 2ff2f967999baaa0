import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { rawIntegrationGet, useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

describe('careos integration outcomes', () => {
  it('--json prints exactly what the API returns; the table shows the summary and one row per client', async () => {
    const json = await runCli(['integration', 'outcomes', '--json'], { env: fx.integrationEnv() });
    expect(json.code, json.stderr).toBe(0);
    const { outcomes } = JSON.parse(json.stdout);
    expect({ outcomes }).toEqual(await rawIntegrationGet(fx, '/api/integration/outcomes'));
    expect(outcomes.clients.map((c: { clientId: string }) => c.clientId)).not.toContain(fx.demo.integration.clients.noConsent);

    const human = await runCli(['integration', 'outcomes'], { env: fx.integrationEnv() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`Clients\\s+${outcomes.summary.totalClients}\\n`));
    expect(human.stdout).toMatch(new RegExp(`Crisis alerts\\s+${outcomes.summary.totalCrisisAlerts}\\n`));
    expect(human.stdout).toMatch(/^CLIENT\s+ASSESSMENTS\s+WEEK\s+COMPLETED\s+CRISIS ALERTS\s+MILESTONES$/m);
    for (const c of outcomes.clients) expect(human.stdout).toContain(c.clientId);
  });
});
