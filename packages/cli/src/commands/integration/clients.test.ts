import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { rawIntegrationGet, useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const flags = () => {
  const i = fx.demo.integration;
  return ['--api-url', fx.server.url, '--integration-key', i.apiKey, '--integration-secret', i.apiSecret, '--therapist-id', i.therapistId];
};

describe('careos integration clients', () => {
  it('--json prints exactly what the API returns: the consented caseload, never a client without consent', async () => {
    const result = await runCli(['integration', 'clients', '--json'], { env: fx.integrationEnv() });
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual(await rawIntegrationGet(fx, '/api/integration/clients'));
    const ids = printed.clients.map((c: { id: string }) => c.id);
    const { clients } = fx.demo.integration;
    expect(ids).toEqual(expect.arrayContaining([clients.basic, clients.standard, clients.full]));
    expect(ids).not.toContain(clients.noConsent);
    expect(printed.total).toBe(printed.clients.length);
  });

  it('prints a table; a BASIC client’s mood shows as withheld, not as empty', async () => {
    const result = await runCli(['integration', 'clients'], { env: fx.integrationEnv() });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PERMISSION\s+COUPLE\s+LAST ACTIVE\s+MOOD\s+WEEK\s+UNREAD ALERTS$/);
    const basic = lines.find((line) => line.startsWith(fx.demo.integration.clients.basic));
    expect(basic).toMatch(/\bBASIC\b.*\bwithheld\b/);
    const jane = lines.find((line) => line.startsWith(fx.demo.integration.clients.standard));
    expect(jane).toMatch(/Jane Doe\s+STANDARD\s+cpl_\S+ \(active, with John Doe\)/);
    expect(result.stdout).toMatch(/\d+ consented client\(s\)/);
    // Credentials never reach the output.
    expect(result.stdout + result.stderr).not.toContain(fx.demo.integration.apiSecret);
  });

  it('takes the connection from flags, or --env; a flag beats the environment', async () => {
    const byFlags = await runCli(['integration', 'clients', '--json', ...flags()]);
    expect(byFlags.code, byFlags.stderr).toBe(0);

    const envFile = join(tempDir(), 'integration.env');
    writeFileSync(envFile, Object.entries(fx.integrationEnv()).map(([k, v]) => `${k}=${v}`).join('\n'));
    const byFile = await runCli(['integration', 'clients', '--json', '--env', envFile]);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(JSON.parse(byFile.stdout).total).toBe(JSON.parse(byFlags.stdout).total);

    const wrongFlag = await runCli(['integration', 'clients', '--integration-secret', 'sk_test_not-the-secret'], { env: fx.integrationEnv() });
    expect(wrongFlag.code).toBe(3);
    expect(wrongFlag.stderr).toContain('Invalid API secret');
    expect(wrongFlag.stderr).not.toContain('sk_test_not-the-secret');
  });

  it('lists every missing credential without a terminal (exit 2), and exits 4 when the API is unreachable', async () => {
    const missing = await runCli(['integration', 'clients', '--api-url', fx.server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'Missing required options: --integration-key (or CAREOS_INTEGRATION_API_KEY), --integration-secret (or CAREOS_INTEGRATION_API_SECRET), --therapist-id (or CAREOS_THERAPIST_ID)',
    );
    expect(missing.stderr).toContain('careos auth login');
    const down = await runCli(['integration', 'clients'], { env: { ...fx.integrationEnv(), CAREOS_API_URL: 'http://127.0.0.1:1' } });
    expect(down.code).toBe(4);
  }, 30_000);
});
