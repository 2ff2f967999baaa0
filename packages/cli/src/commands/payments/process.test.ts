import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
beforeAll(async () => {
  // A $20 minimum: the first run pays nothing; two $15 leads then cross it.
  fx = await startFixture({ BUSINESSOS_MIN_PAYOUT: '20' });
});
afterAll(() => fx?.close());

async function sendLead(id: string) {
  const partner = new CareOS({ baseURL: fx.server.url, apiKey: fx.keys.apiKey, platform: 'businessos', publicKey: fx.keys.publicKeyPem, phoneHashSalt: fx.keys.phoneHashSalt });
  await partner.leads.ingest({
    source_conversation_id: id,
    phone: '+14155550123',
    user_language: 'en',
    category: 'healthcare',
    original_message: 'help',
    ai_extracted_details: {},
    user_consent: true,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 15,
  });
  await partner.close();
}

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('careos payments process', () => {
  it('pays nothing before the due date or below the minimum, then pays the total once', async () => {
    await sendLead('pay-1');
    const early = await runCli(['payments', 'process', '--json'], { env: adminEnv() });
    expect(early.code, early.stderr).toBe(0);
    expect(JSON.parse(early.stdout)).toMatchObject({ payouts: [], skipped: [] });

    const belowMinimum = await runCli(['payments', 'process', '--as-of', inDays(31), '--json'], { env: adminEnv() });
    expect(JSON.parse(belowMinimum.stdout).skipped).toEqual([expect.objectContaining({ partner: 'businessos', amount: 15, reason: 'below_minimum' })]);

    await sendLead('pay-2');
    const paid = await runCli(['payments', 'process', '--as-of', inDays(31)], { env: adminEnv() });
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toMatch(/paid\s+businessos\s+\$30\.00 for 2 lead\(s\) via ledger/);

    const again = await runCli(['payments', 'process', '--as-of', inDays(31), '--json'], { env: adminEnv() });
    expect(JSON.parse(again.stdout).payouts).toEqual([]);
    const payouts = await fx.ops.admin.payouts.list();
    expect(payouts.data).toHaveLength(1);
  });

  it('takes credentials from flags, and fails clearly on a wrong password or a bad date', async () => {
    const flags = ['--api-url', fx.server.url, '--email', fx.admin.email];
    const wrong = await runCli(['payments', 'process', ...flags, '--password', 'nope']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Incorrect email or password');
    const ok = await runCli(['payments', 'process', ...flags, '--password', fx.admin.password, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const badDate = await runCli(['payments', 'process', ...flags, '--as-of', 'next tuesday']);
    expect(badDate.code).toBe(2);
    const missing = await runCli(['payments', 'process', '--api-url', fx.server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email (or CAREOS_ADMIN_EMAIL), --password (or CAREOS_ADMIN_PASSWORD)');
  });
});
