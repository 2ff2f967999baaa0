import { SEED_LOOKUP_API_KEY, SEED_LOOKUP_FOUND } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const lookup = (args: string[], env: Record<string, string> = fx.lookupEnv()) => runCli(['lookup', ...args], { env });

/** POST /api/lookup by hand (no SDK), so tests can compare the CLI's --json with exactly what the API sends. */
async function rawLookup(phone: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fx.server.url}/api/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': fx.demo.lookup.apiKey },
    body: JSON.stringify({ phone }),
  });
  return { status: response.status, body: await response.json() };
}

describe('careos lookup', () => {
  it("pops the seed's case 9 for +39 06 2222 4444: every screen-pop field, exit 0", async () => {
    const result = await lookup(['+39 06 2222 4444']);
    expect(result.code, result.stderr).toBe(0);
    const { patient, case: c } = SEED_LOOKUP_FOUND;
    expect(result.stdout).toMatch(/^Case\s+9 \(APPUNTAMENTO\)$/m);
    expect(result.stdout).toMatch(/^Patient\s+Antonio Dorato$/m);
    expect(result.stdout).toMatch(/^Cell phone\s+\+39 333 222 4444$/m);
    expect(result.stdout).toMatch(/^Screen pop\s+https:\/\/crm-gules-six\.vercel\.app\/it\/cases\/9$/m);
    for (const value of [patient.phone, patient.home_phone, patient.email, c.clinic, c.treatment, c.disposition, c.outcome, c.created_at, c.follow_up_date]) {
      expect(result.stdout).toContain(value);
    }
    expect(result.stderr).toBe('');
  });

  it('--json prints the API body exactly, with phone_searched in E.164 whatever shape was typed', async () => {
    const result = await lookup(['0039 06 2222 4444', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual((await rawLookup('+390622224444')).body);
    expect(printed).toEqual({ ...SEED_LOOKUP_FOUND, phone_searched: '+390622224444' });
  });

  it('no case: the API’s message, exit 1; --json prints the 404 body, exit 1', async () => {
    const human = await lookup(['+39 123 456 7890']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('No case found for phone number: +391234567890\n');
    expect(human.stderr).toBe('');

    const json = await lookup(['+39 123 456 7890', '--json']);
    expect(json.code).toBe(1);
    const raw = await rawLookup('+391234567890');
    expect(raw.status).toBe(404);
    expect(JSON.parse(json.stdout)).toEqual(raw.body);
  });

  it('reads national format in --country', async () => {
    const result = await lookup(['06 2222 4444', '--country', 'it', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ found: true, case_id: '9' });
    expect((await lookup(['06 2222 4444', '--country', 'Italy'])).code).toBe(2);
  });

  it("accepts the seed's placeholder key, given as a flag", async () => {
    const result = await lookup(['+390622224444', '--lookup-key', SEED_LOOKUP_API_KEY, '--api-url', fx.server.url], {});
    expect(result.code, result.stderr).toBe(0);
  });

  it('not a phone number: exit 2, nothing sent', async () => {
    const result = await lookup(['hello']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^careos: Invalid request phone: Not a phone number/);
  });

  it('a wrong key: 401, exit 3', async () => {
    const result = await lookup(['+390622224444', '--lookup-key', 'lookup_test_notarealkey000000000000']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^careos: 401 Unauthorized/);
    expect(result.stdout).toBe('');
  });

  it('an unreachable API: exit 4', async () => {
    const result = await lookup(['+390622224444'], { CAREOS_API_URL: 'http://127.0.0.1:1', CAREOS_LOOKUP_API_KEY: fx.demo.lookup.apiKey });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
  });

  it('without a key and no terminal: exit 2, naming the flag and the variable', async () => {
    const result = await lookup(['+390622224444'], { CAREOS_API_URL: fx.server.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--lookup-key (or CAREOS_LOOKUP_API_KEY)');
  });
});

describe('the lookup key stored with careos auth login', () => {
  it('is checked with a lookup before it is stored, then used by careos lookup and reported by auth status', async () => {
    const env = { CAREOS_CONFIG_DIR: tempDir('careos-config-'), CAREOS_CREDENTIAL_STORE: 'file' };
    const refused = await runCli(['auth', 'login', '--api-url', fx.server.url, '--lookup-key', 'lookup_test_notarealkey000000000000', '--json'], { env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Nothing was stored: lookup API key: 401 Unauthorized/);

    const login = await runCli(['auth', 'login', '--api-url', fx.server.url, '--lookup-key', fx.demo.lookup.apiKey, '--json'], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ stored: [{ setting: 'apiUrl', location: 'config' }, { setting: 'lookupKey', location: 'file' }], groups: [{ group: 'lookup', verified: true }] });
    expect(login.stdout).not.toContain(fx.demo.lookup.apiKey);

    const popped = await runCli(['lookup', '+39 06 2222 4444', '--json'], { env });
    expect(popped.code, popped.stderr).toBe(0);
    expect(JSON.parse(popped.stdout)).toMatchObject({ found: true, case_id: '9' });

    const status = await runCli(['auth', 'status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as { settings: { setting: string; source: string | null; value: string | null }[]; groups: { group: string; status: string }[] };
    expect(parsed.settings.find((s) => s.setting === 'lookupKey')).toMatchObject({ source: 'profile:file', value: `${fx.demo.lookup.apiKey.slice(0, 6)}…` });
    expect(parsed.groups.find((g) => g.group === 'lookup')).toEqual({ group: 'lookup', status: 'verified' });
  });
});
