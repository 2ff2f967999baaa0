import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const prep = (clientId: string, ...args: string[]) => runCli(['integration', 'session-prep', clientId, ...args], { env: fx.integrationEnv() });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('careos integration session-prep', () => {
  it('--json prints the generated report; --last-session-date anchors it (a bare date is that day’s start, UTC)', async () => {
    const anchor = daysAgo(14);
    const result = await prep(fx.demo.integration.clients.standard, '--last-session-date', anchor, '--json');
    expect(result.code, result.stderr).toBe(0);
    const { report } = JSON.parse(result.stdout);
    expect(report).toMatchObject({ clientId: fx.demo.integration.clients.standard, therapistId: fx.demo.integration.therapistId, lastSessionDate: `${anchor}T00:00:00.000Z` });
    expect(report.id).toMatch(/^rpt_/);
    expect(typeof report.generatedSummary).toBe('string');

    // Without it the API's default (7 days ago) applies: a different anchor.
    const defaulted = JSON.parse((await prep(fx.demo.integration.clients.standard, '--json')).stdout).report;
    expect(defaulted.lastSessionDate.slice(0, 10)).toBe(daysAgo(7));
  });

  it('prints the summary, activities and insights', async () => {
    const result = await prep(fx.demo.integration.clients.full);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Report\s+rpt_/m);
    expect(result.stdout).toContain('Since last session');
    expect(result.stdout).toMatch(/Completed since the last session\n(DATE\s+KIND\s+WHAT|\s+nothing)/);
    expect(result.stdout).toContain('Crisis flags');
  });

  it('a BASIC client is INSUFFICIENT_PERMISSION (exit 3); a bad date is a usage error (exit 2)', async () => {
    const basic = await prep(fx.demo.integration.clients.basic);
    expect(basic.code).toBe(3);
    expect(basic.stderr).toMatch(/403 Client's permission level is too low for this data.*\[INSUFFICIENT_PERMISSION\]/);
    expect(basic.stderr).toContain('only the client can raise it');
    const bad = await prep(fx.demo.integration.clients.standard, '--last-session-date', 'last tuesday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be a date (YYYY-MM-DD) or an ISO 8601 time');
  });
});
