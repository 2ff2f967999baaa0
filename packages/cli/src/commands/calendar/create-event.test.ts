import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

// Google is configured but nobody connected a calendar: the server refuses before calling Google.
const GOOGLE = {
  GOOGLE_CLIENT_ID: '123456789012-cli.apps.googleusercontent.com',
  GOOGLE_CLIENT_SECRET: 'GOCSPX-cli-test-secret',
  GOOGLE_REDIRECT_URI: 'http://localhost:8080/calendar/google/callback',
  GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:9',
};

let fx: CliFixture;
beforeAll(async () => {
  fx = await startFixture(GOOGLE);
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });
const base = ['calendar', 'create-event', '--provider', 'google', '--title', 'Team meeting', '--start', '2026-12-10T14:00:00Z', '--end', '2026-12-10T15:00:00Z', '--time-zone', 'America/New_York'];

describe('careos calendar create-event', () => {
  it('a calendar not connected exits 3 with the code and how to connect it; --json prints the error body', async () => {
    const run = await runCli(base, { env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('CALENDAR_NOT_CONNECTED');
    expect(run.stderr).toContain('/calendar/google/connect');
  });

  it('refuses bad usage before calling the API: unknown provider, an unreadable time, a missing title', async () => {
    expect((await runCli(['calendar', 'create-event', ...base.slice(2).map((a) => (a === 'google' ? 'yahoo' : a))], { env: env() })).code).toBe(2);
    expect((await runCli(base.map((a) => (a === '2026-12-10T14:00:00Z' ? 'tomorrow' : a)), { env: env() })).code).toBe(2);
    expect((await runCli(base.filter((a, i) => a !== '--title' && base[i - 1] !== '--title'), { env: env() })).code).toBe(2);
    // A zone that is not IANA is refused by the SDK's check of the body (the contract's schema), naming the field.
    const zone = await runCli(base.map((a) => (a === 'America/New_York' ? 'Mars/Olympus' : a)), { env: env() });
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('time_zone');
  });
});
