import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { CHROMIUM_ARGS, findChromium } from './helpers/chromium.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
/** Screenshots land here (git-ignored), one folder per backend. */
const OUTPUT = join(import.meta.dirname, '..', 'test-output', 'calendar-sandbox');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The seed's Settings page code, as a CareOS front end runs it: ask the API for the consent URL
 * with the staff member's bearer token, then send the browser there.
 */
const settingsPage = (token: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Settings</title></head><body>
<h1>Settings</h1><button id="connect">Connect sandbox calendar</button>
<script>
document.getElementById('connect').addEventListener('click', async () => {
  const res = await fetch('/calendar/sandbox/connect', { headers: { Authorization: 'Bearer ' + ${JSON.stringify(token)} } });
  const { ok, authUrl } = await res.json();
  if (ok) window.location = authUrl;
});
</script></body></html>`;

let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  // Fails, not skips, without a browser: findChromium says how to get one.
  const found = await findChromium();
  console.info(`[browser tests] Chromium from ${found.source}: ${found.path}`);
  profile = mkdtempSync(join(tmpdir(), 'careos-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: found.path, args: CHROMIUM_ARGS, timeout: 60_000 });
}, 120_000);
afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe.each(backendNames())('connecting the sandbox calendar in Chromium (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let staff: StaffSession;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    server = await startApp({ db: await backend.open(), env: testEnv({ keys, extra: { CAREOS_CALENDAR_SANDBOX: 'true' } }) });
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('Settings → consent page → Allow → connected; the calendar answers its demo events, and GET /calendar/events lists them', async () => {
    const page = await context.newPage();
    try {
      // The test's own front-end page, served at the server's origin so its fetch is same-origin.
      const settingsUrl = `${server.url}/__test/settings`;
      await page.route(settingsUrl, (route) => route.fulfill({ contentType: 'text/html', body: settingsPage(staff.headers.authorization!.slice('Bearer '.length)) }));
      await page.goto(settingsUrl);
      await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();

      await page.waitForURL(/\/sandbox\/calendar\/oauth\/authorize\?/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('CareOS wants to access your sandbox calendar');
      const folder = join(OUTPUT, backendName);
      mkdirSync(folder, { recursive: true });
      const shot = join(folder, 'consent.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(/\/calendar\/sandbox\/callback\?/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Your sandbox calendar is connected');
      await page.screenshot({ path: join(folder, 'connected.png') });
    } finally {
      await page.close();
    }

    const list = await call(server.url, 'GET', '/calendar/integrations', { headers: staff.headers });
    expect(list.body.integrations).toEqual([expect.objectContaining({ provider: 'sandbox', status: 'connected' })]);
    const token = await server.app.services.calendarTokens.accessToken(staff.id, 'sandbox');
    const events = await call(server.url, 'GET', '/sandbox/calendar/api/calendar/v3/calendars/primary/events', { headers: { authorization: `Bearer ${token}` } });
    expect(events.status).toBe(200);
    expect((events.body.items as Array<{ summary: string }>).map((e) => e.summary).sort()).toEqual(['Home visit: Jordan Demo', 'Team huddle', 'Training day', 'Weekly supervision']);

    // What the front end then reads: the synced copy, the weekly supervision expanded. The demo
    // starts tomorrow, so two weeks from now hold two of its occurrences (tomorrow and a week later).
    const day = 86_400_000;
    const from = new Date(Date.now() - day).toISOString();
    const to = new Date(Date.now() + 14 * day).toISOString();
    const listed = await call(server.url, 'GET', `/calendar/events?from=${from}&to=${to}&sync=true`, { headers: staff.headers });
    expect(listed.status, listed.text).toBe(200);
    const mine = listed.body.events as Array<{ title: string; start: string; recurring: boolean; providers: Array<{ provider: string }> }>;
    expect(mine.map((e) => e.title).sort()).toEqual(['Home visit: Jordan Demo', 'Team huddle', 'Training day', 'Weekly supervision', 'Weekly supervision']);
    const weekly = mine.filter((e) => e.title === 'Weekly supervision');
    expect(weekly.every((e) => e.recurring && e.providers[0]!.provider === 'sandbox')).toBe(true);
    expect(Date.parse(weekly[1]!.start) - Date.parse(weekly[0]!.start)).toBe(7 * day);
  });
});
