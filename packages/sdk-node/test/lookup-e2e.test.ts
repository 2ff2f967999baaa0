// The lookup client end to end against the real reference server (in-process, in-memory PGlite,
// demo data): the seed's test numbers, the seed's placeholder key, both auth forms, the cache in
// front of real answers, and the contact-centre workflow of creating a case for a caller who had
// none (the negative cache, then invalidate).
import { randomInt } from 'node:crypto';
import { SEED_LOOKUP_API_KEY, SEED_LOOKUP_FOUND, SEED_LOOKUP_PHONES } from '@careos/contract';
import { startServer, type DemoCredentials, type RunningServer } from '@careos/server-reference';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CareOS, LookupClient, type AttemptInfo, type LookupClientOptions } from '../src/index.js';

let server: RunningServer;
let demo: DemoCredentials;
let admin: CareOS;
const attempts: AttemptInfo[] = [];
const clients: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory', seed: 'demo', logger: false });
  if (server.demoCredentials === undefined) throw new Error('the demo seed wrote no credentials');
  demo = server.demoCredentials;
  admin = new CareOS({ baseURL: server.url, staffEmail: demo.admin.email, staffPassword: demo.admin.password, env: {} });
}, 60_000);
afterAll(async () => {
  await admin?.close();
  await server?.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  attempts.length = 0;
});

function lookupClient(options: LookupClientOptions<false> = {}): LookupClient {
  // Every answer is checked against the contract too: the SDK's types are only as true as the server's answers.
  const client = new LookupClient({ apiKey: demo.lookup.apiKey, baseURL: server.url, env: {}, validateResponses: true, hooks: { onAttempt: (a) => attempts.push(a) }, ...options });
  clients.push(client);
  return client;
}

describe('the seed’s test numbers against the demo data', () => {
  it('+39 06 2222 4444 pops case 9 with the seed’s body; phone_searched echoes the E.164 the client sent', async () => {
    expect(demo.lookup.phones).toEqual(SEED_LOOKUP_PHONES);
    const result = await lookupClient().byPhone(SEED_LOOKUP_PHONES.found);
    expect(result).toEqual({ ...SEED_LOOKUP_FOUND, phone_searched: '+390622224444' });
  });

  it('+39 123 456 7890 is the seed’s "no case" 404 body, resolved as an answer', async () => {
    const result = await lookupClient().byPhone(SEED_LOOKUP_PHONES.notFound);
    expect(result).toEqual({ found: false, message: 'No case found for phone number: +391234567890', phone: '+391234567890' });
    expect(attempts).toEqual([expect.objectContaining({ status: 404, error: undefined })]);
  });

  it('a national number with no defaultCountry is read by the server in the CRM’s country, not guessed as US', async () => {
    const result = await lookupClient().byPhone('06 2222 4444');
    expect(result).toMatchObject({ found: true, case_id: '9', phone_searched: '0622224444' });
  });

  it('the seed’s placeholder key works, in x-api-key and as a Bearer token', async () => {
    for (const auth of ['header', 'bearer'] as const) {
      expect(await lookupClient({ apiKey: SEED_LOOKUP_API_KEY, auth }).byPhone(SEED_LOOKUP_PHONES.found)).toMatchObject({ found: true, case_id: '9' });
    }
  });

  it('every shape of the number is one cache entry, and 1,000 concurrent lookups are one request', async () => {
    const lookup = lookupClient({ defaultCountry: 'IT' });
    const results = await Promise.all(Array.from({ length: 1_000 }, () => lookup.byPhone('+390622224444')));
    expect(attempts).toHaveLength(1);
    for (const shape of ['+39 06 2222 4444', '0039 06 2222 4444', '%2B3906%202222%204444', '06 2222 4444']) {
      expect(await lookup.byPhone(shape)).toBe(results[0]);
    }
    expect(attempts).toHaveLength(1);
    expect(lookup.stats()).toMatchObject({ misses: 1, coalesced: 999, hits: 4, errors: 0, size: 1 });
  });

  it('a wrong key fails open with UNAUTHORIZED', async () => {
    expect(await lookupClient({ apiKey: 'lookup_test_notarealkey000000000000' }).byPhone(SEED_LOOKUP_PHONES.found)).toMatchObject({
      found: false,
      error: { code: 'UNAUTHORIZED', status: 401, message: expect.stringContaining('Unauthorized') },
    });
  });

  it('uncached.get sends the phone as typed, as the seed’s curl does, and the server echoes it', async () => {
    const lookup = lookupClient();
    expect(await lookup.uncached.get('+3906 2222 4444')).toMatchObject({ found: true, case_id: '9', phone_searched: '+3906 2222 4444' });
    expect(await lookup.uncached.post(SEED_LOOKUP_PHONES.notFound)).toMatchObject({ found: false, phone: SEED_LOOKUP_PHONES.notFound });
  });

  it('client.lookup on new CareOS({ lookupApiKey }) answers the same', async () => {
    const client = new CareOS({ baseURL: server.url, lookupApiKey: demo.lookup.apiKey, env: {} });
    clients.push(client);
    expect(await client.lookup.byPhone(SEED_LOOKUP_PHONES.found)).toMatchObject({ found: true, case_id: '9' });
  });
});

describe('keys and cases through admin.lookup', () => {
  it('a new caller: "no case" is cached, the agent creates a case, invalidate() makes the next call pop it', async () => {
    // A number of its own on every run: with DATABASE_URL set the server keeps its cases between runs.
    const digits = String(randomInt(10_000_000, 100_000_000));
    const phone = `+39 02 ${digits}`;
    const lookup = lookupClient();
    expect(await lookup.byPhone(phone)).toMatchObject({ found: false, phone: `+3902${digits}` });

    const created = await admin.admin.lookup.cases.create({
      patient: { name: 'Giulia Verdi', phone },
      status: 'NUOVO',
      clinic: 'Centro Oculistico Milano',
      treatment: 'LASIK',
    });
    // Within negativeTtl the cache still says "no case": that is what invalidate() is for.
    expect(await lookup.byPhone(phone)).toMatchObject({ found: false });
    expect(lookup.invalidate(phone)).toBe(true);

    const popped = await lookup.byPhone(phone);
    expect(popped).toMatchObject({ found: true, case_id: created.case_id, patient: { name: 'Giulia Verdi' }, case: { status: 'NUOVO', treatment: 'LASIK' } });
    expect(popped.found && popped.screen_pop_url).toBe(created.screen_pop_url);
  });

  it('a key created by an admin works at once and stops working when revoked', async () => {
    const { api_key, key } = await admin.admin.lookup.keys.create({ name: 'Genesys sandbox', environment: 'test' });
    expect((await admin.admin.lookup.keys.list()).keys.map((k) => k.id)).toContain(key.id);
    const lookup = lookupClient({ apiKey: api_key, cache: false });
    expect(await lookup.byPhone(SEED_LOOKUP_PHONES.found)).toMatchObject({ found: true });

    const { key: revoked } = await admin.admin.lookup.keys.revoke(key.id);
    expect(revoked.revoked_at).not.toBeNull();
    expect(await lookup.byPhone(SEED_LOOKUP_PHONES.found)).toMatchObject({ found: false, error: { code: 'UNAUTHORIZED' } });
  });
});
