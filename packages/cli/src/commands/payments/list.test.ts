import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
const leads: string[] = [];
beforeAll(async () => {
  fx = await startFixture();
  for (const value of ['7', '8']) {
    const sent = await runCli(['lead', 'send', '--phone', '+14155550155', '--category', 'healthcare', '--message', `Lead worth ${value}`, '--value', value, '--consent', '--env-file', fx.partnerEnv, '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    leads.push(JSON.parse(sent.stdout).careos_lead_id);
  }
});
afterAll(() => fx?.close());

describe('careos payments list', () => {
  it('--json prints the page of the partner’s payments as the API returns it, newest first', async () => {
    const result = await runCli(['payments', 'list', '--env-file', fx.partnerEnv, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page.payments.map((p: { lead_id: string; amount: number }) => [p.lead_id, p.amount])).toEqual([
      [leads[1], 8],
      [leads[0], 7],
    ]);
    expect(page.next_cursor).toBeNull();
  });

  it('filters by status, and prints a table for people', async () => {
    const paid = await runCli(['payments', 'list', '--status', 'paid', '--env-file', fx.partnerEnv]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout.trim()).toBe('No payments match.');
    const pending = await runCli(['payments', 'list', '--status', 'PENDING', '--limit', '1', '--env-file', fx.partnerEnv]);
    const lines = pending.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+LEAD\s+AMOUNT\s+STATUS\s+DUE\s+PAID\s+PAYOUT$/);
    expect(lines[1]).toMatch(new RegExp(`^pay_\\S+\\s+${leads[1]}\\s+\\$8\\.00\\s+pending\\s+\\d{4}-\\d{2}-\\d{2}\\s+—\\s+—$`));
    expect(lines[2]).toMatch(/^More: --cursor /);
  });

  it('refuses an unknown status with exit 2', async () => {
    const result = await runCli(['payments', 'list', '--status', 'owed', '--env-file', fx.partnerEnv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pending, paid, disputed, cancelled');
  });
});
