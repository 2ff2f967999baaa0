import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let admin: Record<string, string>;
beforeAll(async () => {
  fx = await startFixture();
  admin = { CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password };
  const partner = await runCli(['lead', 'send', '--phone', '+14155550188', '--category', 'healthcare', '--message', 'Need help', '--value', '9', '--consent', '--env-file', fx.partnerEnv]);
  expect(partner.code, partner.stderr).toBe(0);
});
afterAll(() => fx?.close());

describe('careos api', () => {
  it('calls a partner route with the partner credentials the route needs, and prints the JSON body', async () => {
    const result = await runCli(['api', 'get', '/api/partner/payments?limit=1', '--env-file', fx.partnerEnv]);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.payments).toHaveLength(1);
    expect(body.payments[0]).toMatchObject({ partner: 'businessos', amount: 9, status: 'pending' });
    expect(result.stdout).toContain('\n  "payments"');
  });

  it('logs in for an admin route, and --include prints the status line and headers first', async () => {
    const result = await runCli(['api', 'GET', '/admin/leads?limit=1', '--include'], { env: admin });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^HTTP 200 OK\n/);
    expect(result.stdout).toMatch(/\nx-request-id: \S+\n/);
    const body = JSON.parse(result.stdout.slice(result.stdout.indexOf('\n\n') + 2));
    expect(body.leads).toHaveLength(1);
  });

  it('sends --data from stdin or @file, and a 4xx prints the error body and exits 3', async () => {
    const webhook = JSON.stringify({ url: 'http://127.0.0.1:9/hook', events: ['payment.paid'] });
    // The fixture's server accepts loopback webhook URLs (it is not in production mode).
    const created = await runCli(['api', 'POST', '/api/partner/webhooks', '--data', '-', '--env-file', fx.partnerEnv], { input: webhook });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).webhook).toMatchObject({ id: expect.stringMatching(/^whep_/), url: 'http://127.0.0.1:9/hook' });

    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, JSON.stringify({ url: 'not a url', events: [] }));
    const refused = await runCli(['api', 'POST', '/api/partner/webhooks', '--data', `@${file}`, '--env-file', fx.partnerEnv]);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'VALIDATION_FAILED', request_id: expect.any(String) });
    expect(refused.stderr).toMatch(/POST \/api\/partner\/webhooks answered 400 \(request id \S+\)/);

    const missing = await runCli(['api', 'GET', '/api/leads/lead_nope', '--env-file', fx.partnerEnv]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('without credentials the API says so (401, exit 3); --auth none sends none', async () => {
    const result = await runCli(['api', 'GET', '/api/partner/payments', '--auth', 'none', '--api-url', fx.server.url]);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: 'Invalid API key' });
    const health = await runCli(['api', 'GET', '/health', '--api-url', fx.server.url]);
    expect(health.code, health.stderr).toBe(0);
  });

  it('refuses bad usage with exit 2 before calling anything', async () => {
    const badJson = await runCli(['api', 'POST', '/api/partner/webhooks', '--data', '{nope', '--env-file', fx.partnerEnv]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--data is not valid JSON');
    const badPath = await runCli(['api', 'GET', 'api/leads', '--env-file', fx.partnerEnv]);
    expect(badPath.code).toBe(2);
    const badMethod = await runCli(['api', 'FETCH', '/health']);
    expect(badMethod.code).toBe(2);
  });

  it('exits 4 when the API cannot be reached', async () => {
    const result = await runCli(['api', 'GET', '/health', '--api-url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no answer');
  });
});
