import { afterEach, describe, expect, it } from 'vitest';
import { CareOS, type LogFields, type Logger } from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner, rsaKeyPair } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const keys = rsaKeyPair();
const salt = 'very-secret-salt-0987654321';
const password = 'Pa55word!-not-to-log';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGFmZl8xIn0.c2lnbmF0dXJlLXZhbHVl';

function capture(): { logger: Logger; lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

let server: TestServer;
let client: CareOS | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
});

describe('logging', () => {
  it('never passes secrets or PHI to the logger', async () => {
    server = await startServer((req, res, index) => {
      if (req.url === '/auth/login') return json(res, 200, { access_token: jwt, token_type: 'bearer', expires_in: 3600, user: {} });
      if (req.url.startsWith('/admin')) return json(res, 200, { partners: [] });
      // First ingest attempt fails so that retry logging runs too; the failure message echoes the request.
      if (index === 0) return json(res, 500, { error: `boom for ${JSON.parse(req.body.toString()).user_phone_hash}`, request_id: 'req_1' });
      json(res, 200, ingestResponse, { 'x-request-id': 'req_2' });
    });
    const { logger, lines } = capture();
    client = new CareOS({
      ...fastRetries,
      ...partner,
      baseURL: server.url,
      publicKey: keys.publicPem,
      phoneHashSalt: salt,
      staffEmail: 'admin@example.com',
      staffPassword: password,
      logger,
    });
    const { user_phone_hash: _h, user_phone_encrypted: _e, ...rest } = inboundLead();
    await client.leads.ingest({ ...rest, phone: '(415) 555-0100' });
    await client.admin.partners.list();
    expect(server.requests.length).toBe(4);

    const sent = JSON.parse(server.requests[1]?.body.toString() ?? '{}') as { user_phone_encrypted: string; user_phone_hash: string };
    const logged = JSON.stringify(lines);
    expect(lines.some((l) => l.level === 'debug' && l.message.startsWith('POST /api/leads/ingest'))).toBe(true);
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('retrying'))).toBe(true);
    expect(logged).toContain('[REDACTED]');
    for (const secret of [partner.apiKey, '4155550100', '555-0100', sent.user_phone_encrypted, sent.user_phone_hash, salt, password, jwt]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('a logger object gets every level by default, and logLevel filters it', async () => {
    server = await startServer((_req, res) => json(res, 200, { status: 'ok', version: '1', database: 'ok', uptime_seconds: 1 }));
    const all = capture();
    client = new CareOS({ ...fastRetries, baseURL: server.url, logger: all.logger });
    await client.health.check();
    expect(all.lines.filter((l) => l.level === 'debug').length).toBeGreaterThan(0);
    await client.close();

    const quiet = capture();
    client = new CareOS({ ...fastRetries, baseURL: server.url, logger: quiet.logger, logLevel: 'warn' });
    await client.health.check();
    expect(quiet.lines).toHaveLength(0);
  });

  it('is silent by default', async () => {
    server = await startServer((_req, res) => json(res, 500, { error: 'x', request_id: 'r' }));
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      client = new CareOS({ ...fastRetries, baseURL: server.url, maxRetries: 1 });
      await client.health.check().catch(() => {});
    } finally {
      process.stderr.write = original;
    }
    expect(writes.filter((w) => w.startsWith('careos'))).toHaveLength(0);
  });

  it('a throwing logger does not break calls', async () => {
    server = await startServer((_req, res) => json(res, 200, { status: 'ok', version: '1', database: 'ok', uptime_seconds: 1 }));
    const boom = () => {
      throw new Error('logger down');
    };
    client = new CareOS({ ...fastRetries, baseURL: server.url, logger: { debug: boom, info: boom, warn: boom, error: boom } });
    await expect(client.health.check()).resolves.toMatchObject({ status: 'ok' });
  });
});
