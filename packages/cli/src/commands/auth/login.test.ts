import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { allLeads, startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
/** A server with the demo integration caseload, for the integration credentials. */
let demo: DemoFixture;
beforeAll(async () => {
  [fx, demo] = await Promise.all([startFixture(), startDemoFixture()]);
}, 60_000);
afterAll(() => Promise.all([fx?.close(), demo?.close()]));

/**
 * A fresh config dir with the file backend forced, so these tests behave the same on a
 * desktop with a working keychain and never touch the developer's own.
 */
const fileStore = () => ({ CAREOS_CONFIG_DIR: tempDir('careos-config-'), CAREOS_CREDENTIAL_STORE: 'file' });
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const leadFlags = (id: string) => ['--conversation-id', id, '--phone', '(415) 555-0100', '--category', 'healthcare', '--message', 'I need a caregiver', '--value', '15', '--consent'];
// Linux with no session bus (runCli passes none) has no Secret Service: the fallback is certain.
const noKeychain = process.platform === 'linux';

describe('careos auth login', () => {
  it('--with-token reads the one missing secret from stdin, so it never sits on the command line', async () => {
    const env = fileStore();
    const partner = await runCli(['auth', 'login', '--api-url', fx.server.url, '--platform', fx.keys.partner, '--with-token', '--json'], { env, input: `${fx.keys.apiKey}\n` });
    expect(partner.code, partner.stderr).toBe(0);
    expect(JSON.parse(partner.stdout).groups).toEqual([{ group: 'partner', verified: true }]);
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json'))).toEqual({ profiles: { default: { apiKey: fx.keys.apiKey } } });

    const admin = await runCli(['auth', 'login', '--email', fx.admin.email, '--with-token'], { env, input: fx.admin.password });
    expect(admin.code, admin.stderr).toBe(0);
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json')).profiles.default.password).toBe(fx.admin.password);
    // Stored: later commands need no flags at all.
    const payments = await runCli(['payments', 'list', '--json'], { env });
    expect(payments.code, payments.stderr).toBe(0);

    // A named secret; a wrong one is still refused, and nothing is stored.
    const wrong = await runCli(['auth', 'login', '--with-token', 'password', '--email', fx.admin.email, '--profile', 'other', '--api-url', fx.server.url], { env, input: 'not-the-password' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Nothing was stored');
  });

  it('--with-token says which secret to name when it cannot tell, and refuses empty input', async () => {
    const env = fileStore();
    const ambiguous = await runCli(['auth', 'login', '--therapist-id', 'x', '--with-token', '--no-verify'], { env, input: 'secret' });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--integration-key and --integration-secret are missing; name it, e.g. --with-token integration-key');
    const empty = await runCli(['auth', 'login', '--with-token', 'lookup-key', '--no-verify'], { env, input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No --lookup-key on stdin');
    const notSecret = await runCli(['auth', 'login', '--with-token', 'platform'], { env, input: 'x' });
    expect(notSecret.code).toBe(2);
    expect(notSecret.stderr).toContain('--with-token takes the name of a secret');
  });

  it('checks, then stores admin and partner credentials; later commands need no flags', async () => {
    const env = fileStore();
    const login = await runCli(['auth', 'login', '--env', fx.partnerEnv, '--email', fx.admin.email, '--password', fx.admin.password, '--json'], { env });
    expect(login.code, login.stderr).toBe(0);
    const report = JSON.parse(login.stdout);
    const credentialsFile = join(env.CAREOS_CONFIG_DIR, 'credentials.json');
    const configFile = join(env.CAREOS_CONFIG_DIR, 'config.json');
    expect(report.groups).toEqual([
      { group: 'admin', verified: true },
      { group: 'partner', verified: true },
    ]);
    expect(report.stored).toEqual([
      { setting: 'apiUrl', location: 'config', path: configFile },
      { setting: 'apiKey', location: 'file', path: credentialsFile },
      { setting: 'platform', location: 'config', path: configFile },
      { setting: 'publicKey', location: 'config', path: configFile },
      { setting: 'salt', location: 'config', path: configFile },
      { setting: 'email', location: 'config', path: configFile },
      { setting: 'password', location: 'file', path: credentialsFile },
    ]);
    // Secrets are reported by name only, and stay out of config.json.
    for (const secret of [fx.admin.password, fx.keys.apiKey]) {
      expect(login.stdout + login.stderr).not.toContain(secret);
      expect(readFileSync(configFile, 'utf8')).not.toContain(secret);
    }
    expect(readJson(credentialsFile)).toEqual({ profiles: { default: { apiKey: fx.keys.apiKey, password: fx.admin.password } } });
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    // Forced file backend: a deliberate choice, so no warning.
    expect(login.stderr).toBe('');

    const payments = await runCli(['payments', 'process', '--json'], { env });
    expect(payments.code, payments.stderr).toBe(0);
    expect(JSON.parse(payments.stdout)).toHaveProperty('payouts');

    const lead = await runCli(['lead', 'send', ...leadFlags('auth-login-1'), '--json'], { env });
    expect(lead.code, lead.stderr).toBe(0);
    expect(JSON.parse(lead.stdout)).toMatchObject({ success: true, replayed: false });
    expect((await allLeads(fx.ops)).some((l) => l.source_conversation_id === 'auth-login-1')).toBe(true);

    // Flags and environment variables still win over what is stored: a wrong one fails even
    // though the stored password is right, and the right one in the env works.
    const wrongEnv = await runCli(['payments', 'process'], { env: { ...env, CAREOS_ADMIN_PASSWORD: 'not-the-password' } });
    expect(wrongEnv.code).toBe(3);
    expect(wrongEnv.stderr).toContain('Incorrect email or password');
    const wrongFlag = await runCli(['payments', 'process', '--password', 'not-the-password'], { env });
    expect(wrongFlag.code).toBe(3);
    const wrongKey = await runCli(['lead', 'send', ...leadFlags('auth-login-2')], { env: { ...env, CAREOS_API_KEY: 'businessos_test_wrong' } });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toContain('Invalid API key');
  }, 30_000);

  it.runIf(noKeychain)('auto: without an OS keychain, falls back to a 0600 file and warns naming it and why', async () => {
    const configDir = join(tempDir('careos-home-'), 'careos');
    const env = { CAREOS_CONFIG_DIR: configDir };
    const login = await runCli(['auth', 'login', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', fx.admin.password], { env });
    expect(login.code, login.stderr).toBe(0);
    const file = join(configDir, 'credentials.json');
    expect(login.stderr).toMatch(/^warning: the OS keychain is unavailable \(.+\); password of profile "default" stored in (.+) \(readable only by you, mode 0600\) instead/);
    expect(login.stderr).toContain(file);
    expect(login.stdout).toContain(`password  → ${file}`);
    expect(login.stdout).toMatch(/verified\s+admin login/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);

    const payments = await runCli(['payments', 'process', '--json'], { env });
    expect(payments.code, payments.stderr).toBe(0);
  }, 30_000);

  it('auto: a keychain that never answers costs one 2 s wait, then the file is used and the command still exits', async () => {
    const env = {
      CAREOS_CONFIG_DIR: tempDir('careos-config-'),
      NODE_OPTIONS: `--import=${fileURLToPath(new URL('../../../test/helpers/hanging-keyring.ts', import.meta.url))}`,
    };
    const login = await runCli(['auth', 'login', '--no-verify', '--email', 'ops@example.com', '--password', 'pw', '--webhook-secret', 'whsec_x'], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain('the OS keychain is unavailable (no answer within 2000 ms');
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json')).profiles.default).toEqual({ password: 'pw', webhookSecret: 'whsec_x' });
  }, 30_000);

  it('stores nothing and exits 3 when the API refuses any of the credentials', async () => {
    const env = fileStore();
    const wrongPassword = await runCli(['auth', 'login', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', 'not-the-password'], { env });
    expect(wrongPassword.code).toBe(3);
    expect(wrongPassword.stderr).toMatch(/Nothing was stored: admin login: .*Incorrect email or password/);
    expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);

    // The admin login is right, the partner key is not: all or nothing.
    const wrongKey = await runCli(
      ['auth', 'login', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', fx.admin.password, '--api-key', 'businessos_test_wrong', '--platform', 'businessos'],
      { env },
    );
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/Nothing was stored: partner API key: .*Invalid API key/);
    expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);

    const unreachable = await runCli(['auth', 'login', '--api-url', 'http://127.0.0.1:1', '--email', fx.admin.email, '--password', fx.admin.password], { env });
    expect(unreachable.code).toBe(4);
    expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);
  }, 30_000);

  it('checks integration credentials with a token exchange, then integration commands need no flags', async () => {
    const env = fileStore();
    const i = demo.demo.integration;
    const login = await runCli(
      ['auth', 'login', '--api-url', demo.server.url, '--integration-key', i.apiKey, '--integration-secret', i.apiSecret, '--therapist-id', i.therapistId, '--json'],
      { env },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout).groups).toEqual([{ group: 'integration', verified: true }]);
    expect(login.stdout + login.stderr).not.toContain(i.apiSecret);
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json')).profiles.default).toEqual({ integrationKey: i.apiKey, integrationSecret: i.apiSecret });
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'config.json')).profiles.default).toEqual({ apiUrl: demo.server.url, therapistId: i.therapistId });

    const clients = await runCli(['integration', 'clients', '--json'], { env });
    expect(clients.code, clients.stderr).toBe(0);
    expect(JSON.parse(clients.stdout).clients.map((c: { id: string }) => c.id)).toContain(i.clients.standard);
  }, 30_000);

  it('stores nothing and exits 3 when the integration secret, key or therapist is wrong', async () => {
    const env = fileStore();
    const i = demo.demo.integration;
    const login = (key: string, secret: string, therapist: string) =>
      runCli(['auth', 'login', '--api-url', demo.server.url, '--integration-key', key, '--integration-secret', secret, '--therapist-id', therapist], { env });
    const wrongSecret = await login(i.apiKey, 'sk_test_not-the-secret', i.therapistId);
    expect(wrongSecret.code).toBe(3);
    expect(wrongSecret.stderr).toMatch(/Nothing was stored: integration API credentials: .*Invalid API secret/);
    expect(wrongSecret.stderr).not.toContain('sk_test_not-the-secret');
    const wrongKey = await login('int_test_unknown', i.apiSecret, i.therapistId);
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toContain('Invalid API key');
    const wrongTherapist = await login(i.apiKey, i.apiSecret, '00000000-0000-0000-0000-000000000000');
    expect(wrongTherapist.code).toBe(3);
    expect(wrongTherapist.stderr).toContain('Therapist not found or inactive');
    expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);
  }, 30_000);

  it('stores the webhook secret, which has no check, as unverified, and --no-verify stores without asking the API', async () => {
    const env = fileStore();
    const unchecked = await runCli(
      ['auth', 'login', '--no-verify', '--integration-key', 'lr_key_1', '--integration-secret', 'lr_secret_1', '--therapist-id', 'th_1', '--webhook-secret', 'whsec_c2VjcmV0', '--json'],
      { env },
    );
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(JSON.parse(unchecked.stdout).groups).toEqual([
      { group: 'integration', verified: false, reason: '--no-verify' },
      { group: 'webhook', verified: false, reason: '--no-verify' },
    ]);
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json')).profiles.default).toEqual({
      integrationKey: 'lr_key_1',
      integrationSecret: 'lr_secret_1',
      webhookSecret: 'whsec_c2VjcmV0',
    });
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'config.json')).profiles.default).toEqual({ therapistId: 'th_1' });

    const webhookOnly = await runCli(['auth', 'login', '--webhook-secret', 'whsec_bmV3LXNlY3JldA==', '--json'], { env });
    expect(webhookOnly.code, webhookOnly.stderr).toBe(0);
    expect(JSON.parse(webhookOnly.stdout).groups).toEqual([{ group: 'webhook', verified: false, reason: 'no check available' }]);

    const wrongPassword = await runCli(['auth', 'login', '--no-verify', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', 'not-the-password'], { env });
    expect(wrongPassword.code, wrongPassword.stderr).toBe(0);
    expect(wrongPassword.stdout).toMatch(/unverified\s+admin login \(--no-verify\)/);
    // It was stored as given, so the next admin command fails with it.
    expect((await runCli(['payments', 'process'], { env })).code).toBe(3);

    // A second login for one group keeps the others and replaces only what it is given.
    const fixed = await runCli(['auth', 'login', '--password', fx.admin.password], { env });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await runCli(['payments', 'process'], { env })).code).toBe(0);
    expect(readJson(join(env.CAREOS_CONFIG_DIR, 'credentials.json')).profiles.default.integrationKey).toBe('lr_key_1');
  }, 30_000);

  it('without a terminal, lists what is missing instead of asking (exit 2)', async () => {
    const env = fileStore();
    const nothing = await runCli(['auth', 'login'], { env });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to store');
    const half = await runCli(['auth', 'login', '--api-url', fx.server.url, '--api-key', fx.keys.apiKey], { env });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('Missing required options: --platform (or CAREOS_PLATFORM)');
    expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);
    // A value outside any credential group is simply stored.
    const url = await runCli(['auth', 'login', '--api-url', fx.server.url, '--json'], { env });
    expect(url.code, url.stderr).toBe(0);
    expect(JSON.parse(url.stdout)).toMatchObject({ stored: [{ setting: 'apiUrl', location: 'config' }], groups: [] });
  });

  it('keeps profiles apart', async () => {
    const env = fileStore();
    const login = await runCli(['auth', 'login', '--profile', 'ops', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', fx.admin.password], { env });
    expect(login.code, login.stderr).toBe(0);
    expect((await runCli(['payments', 'process', '--profile', 'ops'], { env })).code).toBe(0);
    expect((await runCli(['payments', 'process'], { env: { ...env, CAREOS_PROFILE: 'ops' } })).code).toBe(0);
    const other = await runCli(['payments', 'process'], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('careos auth login');
  }, 30_000);

  it('refuses a bad CAREOS_CREDENTIAL_STORE, and a forced keychain that is not there, storing nothing', async () => {
    const env = fileStore();
    const args = ['auth', 'login', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', fx.admin.password];
    const bad = await runCli(args, { env: { ...env, CAREOS_CREDENTIAL_STORE: 'vault' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CAREOS_CREDENTIAL_STORE must be auto, keychain or file');
    if (noKeychain) {
      const forced = await runCli(args, { env: { ...env, CAREOS_CREDENTIAL_STORE: 'keychain' } });
      expect(forced.code).toBe(1);
      expect(forced.stderr).toContain('CAREOS_CREDENTIAL_STORE=keychain rules out the file fallback');
      expect(readdirSync(env.CAREOS_CONFIG_DIR)).toEqual([]);
    }
  });
});
