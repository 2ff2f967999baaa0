import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { rawIntegrationGet, useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const progress = (clientId: string, ...args: string[]) => runCli(['integration', 'progress', clientId, ...args], { env: fx.integrationEnv() });

describe('careos integration progress', () => {
  it('--json prints exactly what the API returns, filtered by the client’s permission level', async () => {
    const { basic, standard, full } = fx.demo.integration.clients;
    for (const id of [basic, standard, full]) {
      const result = await progress(id, '--json');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(await rawIntegrationGet(fx, `/api/integration/clients/${id}/progress`));
    }
    const basicJson = JSON.parse((await progress(basic, '--json')).stdout);
    expect(basicJson.permissionLevel).toBe('BASIC');
    expect(basicJson).not.toHaveProperty('moodTrends');
    expect(basicJson).not.toHaveProperty('journalEntries');
  });

  it('shows what a level does not share as withheld, and FULL’s shared journal entries as given', async () => {
    const basic = await progress(fx.demo.integration.clients.basic);
    expect(basic.code, basic.stderr).toBe(0);
    expect(basic.stdout).toMatch(/Permission\s+BASIC/);
    expect(basic.stdout).toMatch(/Mood \(latest 7 days logged\)\n\s+not shared at this permission level/);
    expect(basic.stdout).toMatch(/Journal entries shared with the therapist\n\s+not shared at this permission level/);

    const fullJson = JSON.parse((await progress(fx.demo.integration.clients.full, '--json')).stdout);
    const full = await progress(fx.demo.integration.clients.full);
    expect(full.stdout).toMatch(/Permission\s+FULL/);
    expect(full.stdout).toContain(fullJson.journalEntries[0].text);
    expect(full.stdout).toMatch(/^DATE\s+MOOD\s+CLOSENESS$/m);
    expect(full.stdout).toContain(`${fullJson.activityCompletion.daysActive}/${fullJson.activityCompletion.totalDays} days`);
  });

  it('a client without consent is NO_CONSENT: a clear message and hint, exit 3', async () => {
    const result = await progress(fx.demo.integration.clients.noConsent);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^careos: 403 Client has not granted consent to this therapist.*\[NO_CONSENT\]/);
    expect(result.stderr).toContain('purge any data you hold about them');
  });
});
