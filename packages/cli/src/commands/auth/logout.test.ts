import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { useFixture } from '../../../test/helpers/server.js';

const fx = useFixture();

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('careos auth logout', () => {
  it('removes the profile from config.json and the credentials file, leaves other profiles, and is idempotent', async () => {
    const env = { CAREOS_CONFIG_DIR: tempDir('careos-config-'), CAREOS_CREDENTIAL_STORE: 'file' };
    const admin = ['--api-url', fx.server.url, '--email', fx.admin.email, '--password', fx.admin.password];
    expect((await runCli(['auth', 'login', ...admin, '--api-key', fx.keys.apiKey, '--platform', 'businessos'], { env })).code).toBe(0);
    expect((await runCli(['auth', 'login', '--profile', 'staging', ...admin], { env })).code).toBe(0);

    const logout = await runCli(['auth', 'logout', '--json'], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(JSON.parse(logout.stdout)).toEqual({
      profile: 'default',
      removed: [
        { setting: 'apiKey', from: 'file' },
        { setting: 'password', from: 'file' },
        { setting: 'apiUrl', from: 'config' },
        { setting: 'platform', from: 'config' },
        { setting: 'email', from: 'config' },
      ],
    });
    expect(logout.stdout).not.toContain(fx.admin.password);
    const credentials = readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json'));
    expect(Object.keys(credentials.profiles)).toEqual(['staging']);
    expect(Object.keys(readJson(join(env.CAREOS_CONFIG_DIR, 'config.json')).profiles)).toEqual(['staging']);

    const status = await runCli(['auth', 'status', '--offline', '--json'], { env });
    expect((JSON.parse(status.stdout).settings as { source: string | null }[]).every((row) => row.source === null)).toBe(true);
    const payments = await runCli(['payments', 'process'], { env });
    expect(payments.code).toBe(2);
    expect((await runCli(['payments', 'process', '--profile', 'staging'], { env })).code).toBe(0);

    const again = await runCli(['auth', 'logout'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing was stored for profile "default".');

    expect((await runCli(['auth', 'logout', '--profile', 'staging'], { env })).stdout).toMatch(/Removed from profile "staging":\n {2}password/);
    // The last profile gone, no file of secrets is left behind.
    expect(existsSync(join(env.CAREOS_CONFIG_DIR, 'credentials.json'))).toBe(false);
  }, 30_000);

  it.runIf(process.platform === 'linux')('auto: removes what the file fallback holds and says the keychain could not be checked', async () => {
    const env = { CAREOS_CONFIG_DIR: tempDir('careos-config-') };
    expect((await runCli(['auth', 'login', '--no-verify', '--email', 'ops@example.com', '--password', 'pw-in-file'], { env })).code).toBe(0);
    const logout = await runCli(['auth', 'logout'], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toContain('password');
    expect(logout.stderr).toMatch(/The OS keychain could not be checked \(.+\); anything stored there is still there\./);
    expect(existsSync(join(env.CAREOS_CONFIG_DIR, 'credentials.json'))).toBe(false);
  });
});
