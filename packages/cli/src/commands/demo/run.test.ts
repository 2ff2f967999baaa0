import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

describe('careos demo', () => {
  it('runs the whole lead flow on a throwaway server and exits 0', async () => {
    // DATABASE_URL / REDIS_URL in the caller's environment must not leak into the demo.
    // Its own temp dir, to see what the demo leaves there.
    const tmp = tempDir('careos-demo-tmp-');
    const result = await runCli(['demo', '--json'], { env: { DATABASE_URL: 'postgres://127.0.0.1:1/nope', REDIS_URL: 'redis://127.0.0.1:1', TMPDIR: tmp } });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.leads).toHaveLength(3);
    expect(summary.replay).toMatchObject({ replayed: true, careos_lead_id: summary.leads[0].careos_lead_id, careos_user_id: summary.leads[0].careos_user_id });
    expect(summary.lead).toMatchObject({ id: summary.leads[0].careos_lead_id, category: 'caregiver_hiring' });
    expect(summary.payments).toHaveLength(3);
    expect(summary.messages.map((m: { language: string; status: string }) => [m.language, m.status])).toEqual([
      ['en', 'sent'],
      ['es', 'sent'],
      ['fr', 'sent'],
    ]);
    expect(JSON.stringify(summary.messages)).not.toMatch(/\+1415555\d{4}/);
    expect(summary.payout_run.payouts).toEqual([expect.objectContaining({ partner: 'businessos', amount: 47.5, payments_count: 3, status: 'paid' })]);
    // The throwaway database and the master key written beside it are both gone.
    expect(readdirSync(tmp).filter((name) => name.startsWith('careos-demo-'))).toEqual([]);
  }, 120_000);
});
