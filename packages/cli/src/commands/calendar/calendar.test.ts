import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

// Connect builds its URL without calling Google, so an unreachable origin is enough here.
const GOOGLE = {
  GOOGLE_CLIENT_ID: '123456789012-cli.apps.googleusercontent.com',
  GOOGLE_CLIENT_SECRET: 'GOCSPX-cli-test-secret',
  GOOGLE_REDIRECT_URI: 'http://localhost:8080/calendar/google/callback',
  GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:9',
  CAREOS_CALENDAR_SANDBOX: 'true',
};

let fx: CliFixture;
beforeAll(async () => {
  fx = await startFixture(GOOGLE);
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos calendar', () => {
  it('connect prints the consent URL with PKCE (Google, the sandbox); an unconfigured provider exits non-zero naming its variables', async () => {
    const google = await runCli(['calendar', 'connect', 'google'], { env: env() });
    expect(google.code, google.stderr).toBe(0);
    const url = new URL(google.stdout.trim().split('\n')[0]!);
    expect(url.pathname).toBe('/o/oauth2/v2/auth');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('client_id')).toBe(GOOGLE.GOOGLE_CLIENT_ID);

    const microsoft = await runCli(['calendar', 'connect', 'microsoft'], { env: env() });
    expect(microsoft.code).not.toBe(0);
    expect(microsoft.stderr).toContain('MICROSOFT_CLIENT_ID');
    expect((await runCli(['calendar', 'connect', 'yahoo'], { env: env() })).code).not.toBe(0);

    // The sandbox's consent page is served by the server itself, at the address it listens at.
    const sandbox = await runCli(['calendar', 'connect', 'sandbox'], { env: env() });
    expect(sandbox.code, sandbox.stderr).toBe(0);
    const sandboxUrl = new URL(sandbox.stdout.trim().split('\n')[0]!);
    expect(`${sandboxUrl.origin}${sandboxUrl.pathname}`).toBe(`${fx.server.url}/sandbox/calendar/oauth/authorize`);
    expect(sandboxUrl.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('list says when nothing is connected (and --json gives the API answer); disconnecting what is not connected exits 3', async () => {
    const list = await runCli(['calendar', 'list'], { env: env() });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('No calendar connected');
    const json = await runCli(['calendar', 'list', '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, integrations: [] });
    expect((await runCli(['calendar', 'disconnect', 'google'], { env: env() })).code).toBe(3);
  });

  it('events reads the window (none connected: says so), --json gives the API answer, and a window over 62 days is refused', async () => {
    const events = await runCli(['calendar', 'events'], { env: env() });
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout).toContain('No calendar connected');
    const json = await runCli(['calendar', 'events', '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-08T00:00:00-05:00', '--sync', '--json'], { env: env() });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, from: '2026-12-01T00:00:00.000Z', to: '2026-12-08T05:00:00.000Z', events: [], calendars: [] });
    const long = await runCli(['calendar', 'events', '--from', '2026-12-01T00:00:00Z', '--to', '2027-02-02T00:00:00Z'], { env: env() });
    expect(long.code).not.toBe(0);
    expect(long.stderr).toContain('62 days');
    expect((await runCli(['calendar', 'events', '--from', 'tomorrow'], { env: env() })).code).toBe(2);
  });

  it('connect --wait returns once the consent came back (the sandbox, answered over HTTP as a browser would), and gives up after --timeout', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'calendar', 'connect', 'sandbox', '--wait', '--timeout', '60'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CAREOS_CONFIG_DIR: tempDir('careos-config-'), NO_COLOR: '1', ...env() },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(child, 'exit');
    const authUrl = await new Promise<string>((resolve) => child.stdout.on('data', (chunk) => (stdout += chunk) && stdout.includes('\n') && resolve(stdout.split('\n')[0]!)));
    // The browser's part: the consent page, Allow (with the cookie the page set), then the redirect back to CareOS.
    const page = await fetch(authUrl);
    const consent = /name="consent" value="([^"]+)"/.exec(await page.text())?.[1];
    const cookie = page.headers.get('set-cookie')?.split(';')[0];
    expect(consent && cookie).toBeTruthy();
    const allowed = await fetch(new URL('/sandbox/calendar/oauth/authorize', authUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
      body: new URLSearchParams({ consent: consent!, decision: 'allow' }),
    });
    expect(allowed.status).toBe(303);
    expect((await fetch(allowed.headers.get('location')!)).status).toBe(200);
    const [code] = (await exited) as [number];
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('Connected: your sandbox calendar');
    expect((await runCli(['calendar', 'integrations'], { env: env() })).stdout).toMatch(/sandbox\s+connected/);

    // Connected already: waiting needs a new consent, which never comes here.
    const gaveUp = await runCli(['calendar', 'connect', 'sandbox', '--wait', '--timeout', '1'], { env: env() });
    expect(gaveUp.code).toBe(1);
    expect(gaveUp.stderr).toContain('No consent came back within 1 s');
    expect((await runCli(['calendar', 'disconnect', 'sandbox'], { env: env() })).code).toBe(0);
  });
});
