import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let leadId: string;
beforeAll(async () => {
  fx = await startFixture();
  const sent = await runCli(['lead', 'send', '--phone', '+14155550133', '--category', 'healthcare', '--message', 'Help for dad', '--value', '11', '--consent', '--city', 'Oakland', '--env-file', fx.partnerEnv, '--json']);
  expect(sent.code, sent.stderr).toBe(0);
  leadId = JSON.parse(sent.stdout).careos_lead_id;
});
afterAll(() => fx?.close());

describe('careos lead get', () => {
  it('--json prints the lead as the API returns it, with its payment', async () => {
    const result = await runCli(['lead', 'get', leadId, '--env-file', fx.partnerEnv, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lead = JSON.parse(result.stdout);
    expect(lead).toMatchObject({ id: leadId, status: 'new', user_location_city: 'Oakland', lead_value_agreed: 11, payment: { status: 'pending', amount: 11 } });
    // The phone in no form: ids and hashes are random hex and base32, so test the whole number.
    expect(result.stdout).not.toContain('4155550133');
  });

  it('`careos leads get` (the plural) prints it for people', async () => {
    const result = await runCli(['leads', 'get', leadId, '--env-file', fx.partnerEnv]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Lead\\s+${leadId}`));
    expect(result.stdout).toMatch(/Payment\s+pending, \$11\.00 due \d{4}-\d{2}-\d{2}/);
    expect(result.stdout).toMatch(/Location\s+Oakland/);
  });

  it('CAREOS_LOG=debug logs each request on stderr, secrets redacted, stdout untouched', async () => {
    const result = await runCli(['lead', 'get', leadId, '--env-file', fx.partnerEnv, '--json'], { env: { CAREOS_LOG: 'debug' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^careos debug GET /api/leads/${leadId} 200 in \\d+ ms`, 'm'));
    expect(result.stderr).not.toContain(fx.keys.apiKey);
    expect(JSON.parse(result.stdout).id).toBe(leadId);
  });

  it("exits 3 for a lead that is not this partner's", async () => {
    const result = await runCli(['lead', 'get', 'lead_nope', '--env-file', fx.partnerEnv]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Not found');
  });
});
