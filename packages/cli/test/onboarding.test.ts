// The integration seed's onboarding checklist, steps 4 to 7, done with the CLI alone against the
// reference server's demo data: store and check the credentials (4), run a receiver that
// registers its URL (5) and holds the secret that verifies what arrives (6), then read the
// caseload again after every token the server issued has expired (7). The server's clock can be
// moved forward, which is how its one-hour tokens are made to expire without waiting an hour.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { startDemoFixture, type DemoFixture } from './helpers/demo-server.js';
import { startListener, type Listener } from './helpers/listener.js';

const MINUTE = 60_000;
let serverClockAhead = 0;
let fx: DemoFixture;
let listener: Listener | undefined;
/** One profile, as a partner's developer would have on their machine; the file store, so nothing reaches a real keychain. */
const env = { CAREOS_CONFIG_DIR: tempDir('careos-onboarding-'), CAREOS_CREDENTIAL_STORE: 'file' };

beforeAll(async () => {
  fx = await startDemoFixture({ now: () => new Date(Date.now() + serverClockAhead) });
}, 60_000);
afterAll(async () => {
  await listener?.stop('SIGKILL');
  await fx?.close();
});

async function token(): Promise<string> {
  const { apiKey, apiSecret, therapistId } = fx.demo.integration;
  const response = await fetch(`${fx.server.url}/api/integration/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey, apiSecret, therapistId }) });
  return ((await response.json()) as { token: string }).token;
}

describe('onboarding checklist, steps 4–7, with the CLI only', () => {
  it('step 4: `auth login` checks the key, secret and therapist with the token exchange, then stores them', async () => {
    const i = fx.demo.integration;
    const login = await runCli(['auth', 'login', '--api-url', fx.server.url, '--integration-key', i.apiKey, '--integration-secret', i.apiSecret, '--therapist-id', i.therapistId], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/verified\s+integration API credentials/);
    // The sandbox trigger below is an admin call; its login goes in the same profile.
    const admin = await runCli(['auth', 'login', '--email', fx.demo.admin.email, '--password', fx.demo.admin.password], { env });
    expect(admin.code, admin.stderr).toBe(0);
    const clients = await runCli(['integration', 'clients', '--json'], { env });
    expect(clients.code, clients.stderr).toBe(0);
    expect(JSON.parse(clients.stdout).clients.map((c: { id: string }) => c.id)).toContain(i.clients.standard);
  }, 30_000);

  it('steps 5 and 6: `webhooks listen` registers its URL and holds the secret; every delivery verifies, and the secret is written nowhere', async () => {
    listener = await startListener(['--port', '0', '--json'], env);
    const started = JSON.parse(listener.started);
    expect(started).toMatchObject({ kind: 'listening', registeredAs: 'integration', therapistId: fx.demo.integration.therapistId });
    expect(started).not.toHaveProperty('secret');

    const trigger = await runCli(['webhooks', 'trigger', 'alert.critical', '--json'], { env });
    expect(trigger.code, trigger.stderr).toBe(0);
    const { delivery_ids: ids, deliveries } = JSON.parse(trigger.stdout);
    expect(ids).toHaveLength(2);
    expect(deliveries.map((d: { url: string; status: string }) => [d.url, d.status])).toEqual([
      [started.url, 'delivered'],
      [started.url, 'delivered'],
    ]);
    for (const id of ids) {
      const line = JSON.parse(await listener.waitForLine((l) => l.includes(`"webhookId":"${id}"`)));
      expect(line).toMatchObject({ kind: 'delivery', verified: true, status: 204 });
    }
    // Held in memory only: not printed, not in the profile's files.
    expect(listener.lines.join('\n')).not.toContain('whsec_');
    for (const file of readdirSync(env.CAREOS_CONFIG_DIR)) expect(readFileSync(join(env.CAREOS_CONFIG_DIR, file), 'utf8')).not.toContain('whsec_');
  }, 30_000);

  it('step 7: after the server’s tokens expire (401 TOKEN_EXPIRED), the next command authenticates anew and succeeds', async () => {
    const before = await token();
    serverClockAhead += 61 * MINUTE; // past the token's hour, on the server's clock
    const stale = await fetch(`${fx.server.url}/api/integration/clients`, { headers: { authorization: `Bearer ${before}` } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });

    const clients = await runCli(['integration', 'clients', '--json'], { env });
    expect(clients.code, clients.stderr).toBe(0);
    expect(JSON.parse(clients.stdout).total).toBeGreaterThan(0);
    const status = await runCli(['auth', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout).groups.find((g: { group: string }) => g.group === 'integration')).toEqual({ group: 'integration', status: 'verified' });

    // The listener needed its token only to register: it is still up, and stops cleanly, removing
    // its endpoint with a token of its own although the one it registered with has expired.
    expect(await listener!.stop('SIGINT')).toBe(0);
    expect(JSON.parse(listener!.lines.at(-1)!)).toEqual({ kind: 'stopped', received: 2, verified: 2, endpointId: expect.stringMatching(/^whep_/), removed: true });
  }, 30_000);
});
