import { constants, createHash, privateDecrypt } from 'node:crypto';
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import { http, HttpResponse } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CareOS, CareOSError, DEFAULT_BASE_URL, ENV_VARS } from '../src/index.js';
import { inboundLead, ingestResponse, partner, rsaKeyPair } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const health = { status: 'ok', version: '1', database: 'ok', uptime_seconds: 1 };
const login = { access_token: 'jwt-from-login', token_type: 'bearer', expires_in: 3600, user: {} };

let server: TestServer | undefined;
let client: CareOS | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
  for (const name of Object.values(ENV_VARS)) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  vi.restoreAllMocks();
});

async function echoServer() {
  server = await startServer((req, res) => {
    if (req.url === '/auth/login') return json(res, 200, login);
    if (req.url === '/api/leads/ingest') return json(res, 200, ingestResponse);
    if (req.url.startsWith('/admin/partners')) return json(res, 200, { partners: [] });
    json(res, 200, health);
  });
  return server;
}

describe('env defaults', () => {
  it('reads CAREOS_API_URL, CAREOS_API_KEY and CAREOS_PLATFORM from process.env', async () => {
    const s = await echoServer();
    process.env.CAREOS_API_URL = s.url;
    process.env.CAREOS_API_KEY = partner.apiKey;
    process.env.CAREOS_PLATFORM = partner.platform;
    client = new CareOS();
    expect(client.baseURL).toBe(s.url);
    await client.leads.ingest(inboundLead());
    expect(s.requests[0]?.headers['x-api-key']).toBe(partner.apiKey);
    expect(s.requests[0]?.headers['x-platform']).toBe(partner.platform);
  });

  it('options win over env, and empty env values count as unset', async () => {
    const s = await echoServer();
    client = new CareOS({ baseURL: s.url, apiKey: 'explicit_live_key123456', env: { CAREOS_API_KEY: 'env_live_key1234567', CAREOS_PLATFORM: '', CAREOS_API_URL: 'http://unused.invalid' } });
    expect(client.baseURL).toBe(s.url);
    await expect(client.leads.ingest(inboundLead())).rejects.toThrow(/CAREOS_PLATFORM/);
  });

  it('reads CAREOS_PUBLIC_KEY (one-line escaped) and PHONE_HASH_SALT for plain phones', async () => {
    const s = await echoServer();
    const keys = rsaKeyPair();
    const { user_phone_hash: _h, user_phone_encrypted: _e, ...rest } = inboundLead();
    client = new CareOS({
      baseURL: s.url,
      env: { ...partnerEnv(), CAREOS_PUBLIC_KEY: keys.publicPem.trim().replace(/\n/g, '\\n'), PHONE_HASH_SALT: 'env-salt-1234567890' },
    });
    await client.leads.ingest({ ...rest, phone: '+14155550100' });
    const body = JSON.parse(s.requests[0]?.body.toString() ?? '{}') as { user_phone_encrypted: string; user_phone_hash: string };
    const phone = privateDecrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(body.user_phone_encrypted, 'base64')).toString();
    expect(phone).toBe('+14155550100');
    expect(body.user_phone_hash).toBe(createHash('sha256').update('+14155550100env-salt-1234567890').digest('hex'));
  });

  it('reads CAREOS_ADMIN_EMAIL and CAREOS_ADMIN_PASSWORD and logs in for admin routes', async () => {
    const s = await echoServer();
    client = new CareOS({ baseURL: s.url, env: { CAREOS_ADMIN_EMAIL: 'admin@example.com', CAREOS_ADMIN_PASSWORD: 'pw' } });
    await client.admin.partners.list();
    expect(s.requests.map((r) => r.url)).toEqual(['/auth/login', '/admin/partners']);
    expect(JSON.parse(s.requests[0]?.body.toString() ?? '{}')).toEqual({ email: 'admin@example.com', password: 'pw' });
    expect(s.requests[1]?.headers.authorization).toBe('Bearer jwt-from-login');
  });

  it('CAREOS_LOG turns on the stderr logger', async () => {
    const s = await echoServer();
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    client = new CareOS({ baseURL: s.url, env: { CAREOS_LOG: 'debug' } });
    await client.health.check();
    expect(lines.some((line) => line.startsWith('careos debug GET /health 200'))).toBe(true);
  });

  it('rejects an unknown CAREOS_LOG level and a malformed base URL at construction', () => {
    expect(() => new CareOS({ env: { CAREOS_LOG: 'loud' } })).toThrow(CareOSError);
    expect(() => new CareOS({ env: { CAREOS_API_URL: 'not a url' } })).toThrow(/Invalid baseURL/);
    expect(() => new CareOS({ baseURL: 'ftp://x.example' })).toThrow(/only http and https/);
    expect(() => new CareOS({ maxRetries: -1 })).toThrow(/Invalid option maxRetries/);
  });
});

describe('missing credentials fail before any request', () => {
  it('partner routes need apiKey and platform', async () => {
    const s = await echoServer();
    client = new CareOS({ baseURL: s.url, env: {} });
    await expect(client.leads.ingest(inboundLead())).rejects.toThrow(/needs a partner API key.*CAREOS_API_KEY/);
    await expect(client.partner.payments.list()).rejects.toThrow(CareOSError);
    const noPlatform = new CareOS({ baseURL: s.url, env: { CAREOS_API_KEY: partner.apiKey } });
    await expect(noPlatform.leads.retrieve('lead_1')).rejects.toThrow(/needs your platform name.*CAREOS_PLATFORM/);
    await noPlatform.close();
    expect(s.requests).toHaveLength(0);
  });

  it('admin routes need a staff token or staff credentials', async () => {
    const s = await echoServer();
    client = new CareOS({ baseURL: s.url, env: { CAREOS_ADMIN_EMAIL: 'admin@example.com' } });
    await expect(client.admin.partners.list()).rejects.toThrow(/needs staff credentials.*CAREOS_ADMIN_PASSWORD/);
    expect(s.requests).toHaveLength(0);
  });

  it('public routes need nothing', async () => {
    const s = await echoServer();
    client = new CareOS({ baseURL: s.url, env: {} });
    await expect(client.health.check()).resolves.toEqual(health);
    expect(s.requests[0]?.headers['x-api-key']).toBeUndefined();
  });
});

describe('default base URL', () => {
  it(`is ${DEFAULT_BASE_URL} when neither option nor env sets one`, async () => {
    // The production host is unreachable from tests: msw answers for it at the socket level.
    const seen: string[] = [];
    const network = defineNetwork({
      sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
      context: { quiet: true },
      handlers: [
        http.get(`${DEFAULT_BASE_URL}/health`, ({ request }) => {
          seen.push(`${request.method} ${request.url} ${request.headers.get('user-agent')}`);
          return HttpResponse.json(health);
        }),
      ],
    });
    await network.enable();
    try {
      client = new CareOS({ env: {} });
      expect(client.baseURL).toBe(DEFAULT_BASE_URL);
      await expect(client.health.check()).resolves.toEqual(health);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^GET https:\/\/api\.careos\.app\/health careos-sdk-node\/\d+\.\d+\.\d+ node\//);
    } finally {
      await network.disable();
    }
  });
});

function partnerEnv() {
  return { CAREOS_API_KEY: partner.apiKey, CAREOS_PLATFORM: partner.platform };
}
