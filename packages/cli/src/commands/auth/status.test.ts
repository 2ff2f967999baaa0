import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let env: Record<string, string>;
const WEBHOOK_SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5';

beforeAll(async () => {
  fx = await startFixture();
  // The file backend, forced, so the test never reads a developer's own keychain.
  env = { CAREOS_CONFIG_DIR: tempDir('careos-config-'), CAREOS_CREDENTIAL_STORE: 'file' };
  const login = await runCli(['auth', 'login', '--env', fx.partnerEnv, '--email', fx.admin.email, '--password', fx.admin.password, '--webhook-secret', WEBHOOK_SECRET], { env });
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
});
afterAll(() => fx?.close());

let demo: DemoFixture | undefined;
afterAll(() => demo?.close());

type Row = { setting: string; source: string | null; value: string | null };
const bySetting = (stdout: string) => Object.fromEntries((JSON.parse(stdout).settings as Row[]).map((row) => [row.setting, row]));
const groups = (stdout: string) => Object.fromEntries((JSON.parse(stdout).groups as { group: string; status: string }[]).map((g) => [g.group, g.status]));

describe('careos auth status', () => {
  it('reports each setting with its source, secrets masked, and checks every stored group', async () => {
    const result = await runCli(['auth', 'status', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const rows = bySetting(result.stdout);
    expect(rows.apiUrl).toMatchObject({ source: 'profile', value: fx.server.url });
    expect(rows.email).toMatchObject({ source: 'profile', value: fx.admin.email });
    expect(rows.password).toMatchObject({ source: 'profile:file', value: '••••••••' });
    expect(rows.apiKey).toMatchObject({ source: 'profile:file', value: `${fx.keys.apiKey.slice(0, 6)}…` });
    expect(rows.webhookSecret).toMatchObject({ source: 'profile:file', value: 'whsec_…' });
    expect(rows.salt).toMatchObject({ source: 'profile', value: '••••••••' });
    expect(rows.integrationKey).toMatchObject({ source: null, value: null });
    expect(groups(result.stdout)).toEqual({ admin: 'verified', partner: 'verified', integration: 'absent', webhook: 'unchecked', lookup: 'absent' });
    for (const secret of [fx.admin.password, fx.keys.apiKey, WEBHOOK_SECRET, fx.keys.phoneHashSalt]) expect(result.stdout).not.toContain(secret);
  });

  it('shows flags and environment variables winning, and exits 3 when a credential is refused', async () => {
    const result = await runCli(['auth', 'status', '--json', '--platform', 'businessos'], { env: { ...env, CAREOS_ADMIN_PASSWORD: 'not-the-password' } });
    expect(result.code).toBe(3);
    const rows = bySetting(result.stdout);
    expect(rows.password).toMatchObject({ source: 'env', value: '••••••••' });
    expect(rows.platform).toMatchObject({ source: 'flag', value: 'businessos' });
    const admin = (JSON.parse(result.stdout).groups as { group: string; status: string; message?: string }[]).find((g) => g.group === 'admin');
    expect(admin).toMatchObject({ status: 'failed', message: expect.stringContaining('Incorrect email or password') });
    expect(groups(result.stdout).partner).toBe('verified');
    expect(result.stdout).not.toContain('not-the-password');
  });

  it('--offline does not contact the API; without it an unreachable API exits 4', async () => {
    const down = { ...env, CAREOS_API_URL: 'http://127.0.0.1:1' };
    const offline = await runCli(['auth', 'status', '--offline', '--json'], { env: down });
    expect(offline.code, offline.stderr).toBe(0);
    expect(groups(offline.stdout)).toEqual({ admin: 'unchecked', partner: 'unchecked', integration: 'absent', webhook: 'unchecked', lookup: 'absent' });
    expect(bySetting(offline.stdout).apiUrl).toMatchObject({ source: 'env', value: 'http://127.0.0.1:1' });

    const online = await runCli(['auth', 'status', '--json'], { env: down });
    expect(online.code).toBe(4);
    expect(groups(online.stdout)).toMatchObject({ admin: 'failed', partner: 'failed' });
  }, 30_000);

  it('calls a half-set group incomplete (exit 2) and prints a readable report without secrets', async () => {
    const result = await runCli(['auth', 'status', '--offline', '--therapist-id', 'th_1'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/password\s+••••••••\s+profile:file/);
    expect(result.stdout).toMatch(/therapistId\s+th_1\s+flag/);
    expect(result.stdout).toMatch(/integration API credentials\s+incomplete: missing --integration-key, --integration-secret/);
    expect(result.stdout).not.toContain(fx.admin.password);
    expect(result.stdout).not.toContain(fx.keys.apiKey);
  });

  it('reports nothing stored for an unknown profile, exit 0', async () => {
    const result = await runCli(['auth', 'status', '--profile', 'nobody', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.profile).toBe('nobody');
    expect((parsed.settings as Row[]).every((row) => row.source === null)).toBe(true);
    expect(Object.values(groups(result.stdout))).toEqual(['absent', 'absent', 'absent', 'absent', 'absent']);
  });

  it('checks integration credentials by exchanging them for a token: works, or fails with exit 3', async () => {
    demo = await startDemoFixture();
    const i = demo.demo.integration;
    // An empty profile: the stored admin and partner logins belong to the other server.
    const ok = await runCli(['auth', 'status', '--json', '--profile', 'integration-only'], { env: { ...env, ...demo.integrationEnv() } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(groups(ok.stdout)).toEqual({ admin: 'absent', partner: 'absent', integration: 'verified', webhook: 'absent', lookup: 'absent' });

    const wrong = await runCli(['auth', 'status', '--json', '--profile', 'integration-only', '--integration-secret', 'sk_test_not-the-secret'], {
      env: { ...env, ...demo.integrationEnv() },
    });
    expect(wrong.code).toBe(3);
    const failed = JSON.parse(wrong.stdout).groups.find((g: { group: string }) => g.group === 'integration');
    expect(failed).toMatchObject({ status: 'failed', message: expect.stringContaining('Invalid API secret') });
    expect(wrong.stdout).not.toContain('sk_test_not-the-secret');
    expect(wrong.stdout).not.toContain(i.apiSecret);
  }, 60_000);
});
