import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN, integrationToken } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { eventually, startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const keys = generateTestKeys();
const PARTNER: PartnerFixture = { platform: 'hookpartner', apiKey: 'hookpartner_test_Wq8Lz2Xc5Vb9Nm3Kj7Hg1Fd4', salt: 'hookpartner-salt-0001' };
/** A partner of its own for the delivery test, so no other test's endpoint gets its event. */
const REBINDER: PartnerFixture = { platform: 'rebinder', apiKey: 'rebinder_test_Wq8Lz2Xc5Vb9Nm3Kj7Hg1Fd4', salt: 'rebinder-salt-0001' };
const PUBLIC_ADDRESS = '93.184.216.34';

/**
 * A resolver for the test's own names: each name has a list of answers given in turn (the last
 * one repeats), so a name can point to a public address at registration and to loopback later.
 */
function scriptedResolver(answers: Record<string, string[][]>): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    asked.push(hostname);
    const script = answers[hostname];
    if (!script) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    const current = script.length > 1 ? script.shift()! : script[0]!;
    const found = current.map((address) => ({ address, family: isIP(address) }));
    if (options.all) callback(null, found);
    else callback(null, found[0]!.address, found[0]!.family);
  }) as LookupFunction & { asked: string[] };
  lookup.asked = asked;
  return lookup;
}

describe.each(backendNames())('webhook URL policy in production mode (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let receiver: WebhookReceiver;
  let admin: Record<string, string>;
  const resolver = scriptedResolver({
    'public.example.test': [[PUBLIC_ADDRESS]],
    'internal.example.test': [['10.1.2.3']],
    'mixed.example.test': [[PUBLIC_ADDRESS, 'fd12:3456::1']],
    // Public when registered, loopback when the delivery connects: DNS rebinding.
    'rebind.example.test': [[PUBLIC_ADDRESS], ['127.0.0.1']],
  });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    receiver = await startReceiver();
    const env = testEnv({ keys, partners: [PARTNER, REBINDER], extra: { ...INTEGRATION_ADMIN, CAREOS_ENV: 'production', CAREOS_MASTER_KEY: randomBytes(32).toString('base64'), CAREOS_WEBHOOK_RETRY_SCHEDULE: '0,0.05,0.05' } });
    server = await startApp({ db: await backend.open(), env, webhookLookup: resolver });
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await backend?.dispose();
  });

  const register = (url: string, partner = PARTNER) => call(server.url, 'POST', '/api/partner/webhooks', { json: { url }, headers: partnerHeaders(partner) });

  it('refuses metadata, loopback, private and plain-http receivers at registration, whatever the spelling', async () => {
    const cases: [url: string, reason: RegExp][] = [
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a cloud metadata address/],
      ['https://169.254.169.254/', /cloud metadata address/],
      ['https://[fd00:ec2::254]/', /cloud metadata address/],
      ['https://[::ffff:169.254.169.254]/', /cloud metadata address/],
      ['https://metadata.google.internal/computeMetadata/v1/', /cloud metadata service/],
      ['https://169.254.10.20/', /link-local address/],
      ['https://127.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://[::1]:8443/hook', /::1 is a loopback address/],
      ['https://0x7f000001/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://2130706433/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://0177.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://localhost:8443/hook', /localhost resolves to 127\.0\.0\.1, a loopback address/],
      ['https://[::ffff:10.0.0.1]/hook', /private network address/],
      ['https://100.64.0.1/hook', /private network address/],
      ['https://0.0.0.0/hook', /unspecified address/],
      ['https://internal.example.test/hook', /internal\.example\.test resolves to 10\.1\.2\.3, a private network address/],
      ['https://mixed.example.test/hook', /resolves to fd12:3456::1, a private network address/],
      ['http://public.example.test/hook', /Use an https:\/\/ URL/],
    ];
    for (const [url, reason] of cases) {
      const res = await register(url);
      expect([res.status, res.body.error, res.body.code], url).toEqual([400, 'Webhook URL not allowed', 'WEBHOOK_URL_REFUSED']);
      expect(res.body.message, url).toMatch(reason);
    }
    expect((await register('https://public.example.test/hook')).status).toBe(201);
  });

  it('applies the same policy to the integration registration', async () => {
    const demo = await server.app.seedDemo();
    const token = await integrationToken(server, demo.integration);
    const res = await call(server.url, 'POST', '/api/integration/webhook/register', {
      json: { webhookUrl: 'http://169.254.169.254/latest/meta-data/iam/', events: ['alert.created'] },
      headers: { authorization: `Bearer ${token}` },
    });
    expect([res.status, res.body.code]).toEqual([400, 'WEBHOOK_URL_REFUSED']);
    expect(res.body.message).toContain('cloud metadata address');
  });

  it('refuses a delivery whose name resolves to loopback by the time it connects (DNS rebinding), once, without retrying', async () => {
    const url = `https://rebind.example.test:${receiver.port}/hooks/careos`;
    const created = await register(url, REBINDER);
    expect(created.status).toBe(201);
    const triggered = await call(server.url, 'POST', '/admin/sandbox/webhooks/trigger', { json: { event: 'payment.paid', partner: REBINDER.platform }, headers: admin });
    expect(triggered.body.delivery_ids).toHaveLength(1);
    const detail = await eventually(async () => {
      const res = await call(server.url, 'GET', `/admin/webhooks/deliveries/${triggered.body.delivery_ids[0]}`, { headers: admin });
      return res.body.status === 'failed' ? res.body : null;
    });
    expect(detail).toMatchObject({ status: 'failed', attempts: 1, last_status_code: null, next_attempt_at: null });
    expect(detail.last_error).toMatch(/^Refused: rebind\.example\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(detail.attempt_history).toHaveLength(1);
    expect(resolver.asked.filter((name) => name === 'rebind.example.test').length).toBeGreaterThanOrEqual(2);
    expect(receiver.received).toEqual([]);
  });
});
