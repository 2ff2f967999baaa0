import { constants, createHash, privateDecrypt } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CareOS, CareOSError, RequestValidationError, publicKeyId, type InboundLead } from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner, rsaKeyPair } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const keys = rsaKeyPair();
/** The seed's `.env` form: one line with literal `\n`, in quotes. */
const escapedPem = `"${keys.publicPem.trim().replace(/\n/g, '\\n')}"`;
const salt = 'salt-for-tests-0123456789';

function decrypt(base64: string): string {
  return privateDecrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(base64, 'base64')).toString('utf8');
}

function plainLead(phone: string) {
  const { user_phone_hash: _hash, user_phone_encrypted: _encrypted, source_platform: _platform, ...rest } = inboundLead();
  return { ...rest, phone };
}

let server: TestServer;
let client: CareOS | undefined;
beforeAll(() => {
  expect(escapedPem).toContain('\\n');
});
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
});

async function setup(statuses: number[] = [200], options: Record<string, unknown> = {}) {
  server = await startServer((_req, res, index) => {
    const status = statuses[Math.min(index, statuses.length - 1)] as number;
    json(res, status, status === 200 ? ingestResponse : { error: 'Internal server error', request_id: 'r' });
  });
  client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, publicKey: escapedPem, phoneHashSalt: salt, ...options });
  return client;
}

const sent = (index = 0) => JSON.parse(server.requests[index]?.body.toString('utf8') ?? '{}') as InboundLead & { phone?: string };

describe('leads.ingest with a plain phone', () => {
  it('encrypts the E.164 number so the private key recovers it, and hashes it with the seed formula', async () => {
    const c = await setup();
    await expect(c.leads.ingest(plainLead('+1 (415) 555-0100'))).resolves.toEqual(ingestResponse);
    const body = sent();
    expect(decrypt(body.user_phone_encrypted)).toBe('+14155550100');
    expect(body.user_phone_hash).toBe(createHash('sha256').update(`+14155550100${salt}`).digest('hex'));
    expect(body.source_platform).toBe('businessos');
    expect(body).not.toHaveProperty('phone');
    // Outside the ciphertext, whose random base64 may hold any three digits, the phone is nowhere.
    const { user_phone_encrypted: _ciphertext, ...rest } = body;
    expect(JSON.stringify(rest)).not.toContain('555');
    expect(server.requests[0]?.headers['x-careos-key-id']).toBe(publicKeyId(keys.publicKey));
  });

  it('reads national numbers in the lead’s country, else in defaultCountry', async () => {
    const c = await setup([200, 200], { defaultCountry: 'GB' });
    const { user_location_country: _country, ...withoutCountry } = plainLead('020 7946 0018');
    await c.leads.ingest(withoutCountry);
    expect(decrypt(sent(0).user_phone_encrypted)).toBe('+442079460018');
    await c.leads.ingest({ ...plainLead('(415) 555-0100'), user_location_country: 'US' });
    expect(decrypt(sent(1).user_phone_encrypted)).toBe('+14155550100');
  });

  it('sends the same ciphertext on every retry', async () => {
    const c = await setup([500, 503, 200]);
    await c.leads.ingest(plainLead('+14155550100'));
    expect(server.requests).toHaveLength(3);
    const ciphertexts = new Set(server.requests.map((_, i) => sent(i).user_phone_encrypted));
    expect(ciphertexts.size).toBe(1);
  });

  it('encrypts afresh for each call (RSA-OAEP is randomised)', async () => {
    const c = await setup();
    await c.leads.ingest(plainLead('+14155550100'));
    await c.leads.ingest(plainLead('+14155550100'));
    expect(sent(0).user_phone_encrypted).not.toBe(sent(1).user_phone_encrypted);
    expect(sent(0).user_phone_hash).toBe(sent(1).user_phone_hash);
  });

  it('accepts a KeyObject and an explicit source_platform', async () => {
    const c = await setup([200], { publicKey: keys.publicKey });
    await c.leads.ingest({ ...plainLead('+14155550100'), source_platform: 'otherplatform' });
    expect(sent().source_platform).toBe('otherplatform');
    expect(decrypt(sent().user_phone_encrypted)).toBe('+14155550100');
  });

  it('rejects an invalid phone before sending, without echoing it', async () => {
    const c = await setup();
    const error = (await c.leads.ingest(plainLead('12ab')).catch((e: unknown) => e)) as RequestValidationError;
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.details[0]?.path).toBe('phone');
    expect(error.message).not.toContain('12ab');
    expect(server.requests).toHaveLength(0);
  });

  it('needs publicKey and phoneHashSalt, and says so before sending', async () => {
    const withoutKey = await setup([200], { publicKey: undefined });
    await expect(withoutKey.leads.ingest(plainLead('+14155550100'))).rejects.toThrow(/publicKey is required.*CAREOS_PUBLIC_KEY/);
    await withoutKey.close();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, publicKey: keys.publicPem });
    await expect(client.leads.ingest(plainLead('+14155550100'))).rejects.toThrow(/phoneHashSalt is required.*PHONE_HASH_SALT/);
    expect(server.requests).toHaveLength(0);
  });

  it('reports an unreadable public key clearly', async () => {
    const c = await setup([200], { publicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' });
    const error = await c.leads.ingest(plainLead('+14155550100')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CareOSError);
    expect((error as Error).message).toMatch(/publicKey is not a readable PEM/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a lead with both a plain phone and ciphertext', async () => {
    const c = await setup();
    const mixed = { ...plainLead('+14155550100'), user_phone_encrypted: 'abc', user_phone_hash: 'def' } as never;
    await expect(c.leads.ingest(mixed)).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('leads.ingest with a pre-encrypted lead', () => {
  it('passes the seed body through unchanged and sends no key id of its own', async () => {
    const c = await setup();
    const lead = inboundLead();
    await c.leads.ingest(lead);
    expect(sent()).toEqual(lead);
    expect(server.requests[0]?.headers['x-careos-key-id']).toBeUndefined();
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(server.requests[0]?.headers['x-api-key']).toBe(partner.apiKey);
    expect(server.requests[0]?.headers['x-platform']).toBe(partner.platform);
  });

  it('sends a key id given in the request headers', async () => {
    const c = await setup();
    await c.leads.ingest(inboundLead(), { headers: { 'X-CareOS-Key-Id': '0123456789abcdef' } });
    expect(server.requests[0]?.headers['x-careos-key-id']).toBe('0123456789abcdef');
  });
});
