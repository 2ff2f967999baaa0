// The lookup client as a whole: how it is built (standalone or as `client.lookup`), what it
// shares with the client it hangs off, what it logs, and that E.164 input never reaches
// libphonenumber.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CareOS, CareOSError, LookupClient, type AttemptInfo, type LogFields, type Logger } from '../src/index.js';
import { FOUND_E164, LOOKUP_KEY, NOT_FOUND_E164, startLookupServer, type HeldLookupServer } from './helpers/lookup.js';
import { json, startServer, type TestServer } from './helpers/server.js';

vi.mock('@careos/contract', async (importOriginal) => {
  const contract = await importOriginal<typeof import('@careos/contract')>();
  return { ...contract, tryNormalizePhone: vi.fn(contract.tryNormalizePhone) };
});
const { tryNormalizePhone } = await import('@careos/contract');
const parse = vi.mocked(tryNormalizePhone);

let server: HeldLookupServer | TestServer | undefined;
const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  parse.mockClear();
});

function track<T extends { close(): Promise<void> }>(client: T): T {
  closers.push(client);
  return client;
}

describe('normalising', () => {
  it('E.164 input never calls libphonenumber, on a miss or a hit; other shapes do, until cached', async () => {
    const s = (server = await startLookupServer());
    const lookup = track(new LookupClient({ apiKey: LOOKUP_KEY, baseURL: s.url, env: {} }));
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(parse).not.toHaveBeenCalled();

    await lookup.byPhone('+39 06 2222 4444');
    expect(parse).toHaveBeenCalledTimes(1);
    expect(s.requests).toHaveLength(2);
  });
});

describe('new LookupClient(options)', () => {
  it.each([
    [{ cache: { ttl: -1 } }, /cache\.ttl/],
    [{ cache: { ttl: 0 } }, /cache\.ttl/],
    [{ cache: { max: 0 } }, /cache\.max/],
    [{ cache: { max: 1.5 } }, /cache\.max/],
    [{ cache: { negativeTtl: Number.NaN } }, /cache\.negativeTtl/],
    [{ cache: { staleWhileRevalidate: -5 } }, /staleWhileRevalidate/],
    [{ cache: { staleOnError: 'yes' as unknown as number } }, /staleOnError/],
    [{ timeout: 0 }, /timeout/],
    [{ maxRetries: 0.5 }, /maxRetries/],
    [{ auth: 'cookie' as 'header' }, /lookup auth/],
    [{ baseURL: 'not a url' }, /baseURL/],
  ])('refuses %j when it is built, not during a call', (options, message) => {
    expect(() => new LookupClient({ apiKey: LOOKUP_KEY, env: {}, ...options })).toThrow(message);
  });

  it('reads CAREOS_API_URL and CAREOS_LOOKUP_API_KEY from the environment', async () => {
    const s = (server = await startLookupServer());
    const lookup = track(new LookupClient({ env: { CAREOS_API_URL: s.url, CAREOS_LOOKUP_API_KEY: LOOKUP_KEY } }));
    expect(lookup.baseURL).toBe(s.url);
    expect(await lookup.byPhone(FOUND_E164)).toMatchObject({ found: true });
    expect(s.requests[0]?.headers['x-api-key']).toBe(LOOKUP_KEY);
  });

  it('takes the transport options: default headers, hooks', async () => {
    const s = (server = await startLookupServer());
    const attempts: AttemptInfo[] = [];
    const lookup = track(new LookupClient({ apiKey: LOOKUP_KEY, baseURL: s.url, env: {}, defaultHeaders: { 'X-Contact-Centre': 'rome-1' }, hooks: { onAttempt: (a) => attempts.push(a) } }));
    await lookup.byPhone(NOT_FOUND_E164);
    expect(s.requests[0]?.headers['x-contact-centre']).toBe('rome-1');
    expect(attempts).toEqual([expect.objectContaining({ routeId: 'lookupPhonePost', status: 404, error: undefined, attempt: 1 })]);
  });

  it('uncached.get and uncached.post send the phone as given, one request per call, and resolve "no case"', async () => {
    const s = (server = await startLookupServer());
    const lookup = track(new LookupClient({ apiKey: LOOKUP_KEY, baseURL: s.url, env: {} }));
    expect(await lookup.uncached.get(FOUND_E164)).toMatchObject({ found: true, phone_searched: FOUND_E164 });
    expect(await lookup.uncached.post(NOT_FOUND_E164)).toMatchObject({ found: false, phone: NOT_FOUND_E164 });
    expect(await lookup.uncached.post(NOT_FOUND_E164)).toMatchObject({ found: false });
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/lookup?phone=%2B390622224444', 'POST /api/lookup', 'POST /api/lookup']);
    expect(lookup.stats().size).toBe(0);
  });

  it('never logs the phone number or the key', async () => {
    const s = (server = await startLookupServer());
    const lines: string[] = [];
    const at = (level: string) => (message: string, fields?: LogFields) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const lookup = track(new LookupClient({ apiKey: LOOKUP_KEY, baseURL: s.url, env: {}, logger }));
    await lookup.byPhone('+39 06 2222 4444');
    await lookup.uncached.get('+39 06 2222 4444');
    s.failNext(500, 2);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(line).not.toMatch(/0622224444|2222[ %20]*4444|1234567890/);
      expect(line).not.toContain(LOOKUP_KEY);
    }
  });
});

describe('client.lookup on new CareOS()', () => {
  it('authenticates with lookupApiKey (not the partner key) and applies the lookup options', async () => {
    const s = (server = await startLookupServer());
    const client = track(new CareOS({ baseURL: s.url, env: {}, apiKey: 'businessos_live_partnerkey123', lookupApiKey: LOOKUP_KEY, lookup: { auth: 'bearer', cache: { negativeTtl: 0 } } }));
    expect(client.lookup).toBe(client.lookup);
    expect(client.lookup.baseURL).toBe(s.url);
    await client.lookup.byPhone(NOT_FOUND_E164);
    await client.lookup.byPhone(NOT_FOUND_E164);
    expect(s.requests).toHaveLength(2); // negativeTtl 0
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${LOOKUP_KEY}`);
    expect(s.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('reads CAREOS_LOOKUP_API_KEY from the client’s environment', async () => {
    const s = (server = await startLookupServer());
    const client = track(new CareOS({ baseURL: s.url, env: { CAREOS_LOOKUP_API_KEY: LOOKUP_KEY } }));
    expect(await client.lookup.byPhone(FOUND_E164)).toMatchObject({ found: true });
    expect(s.requests[0]?.headers['x-api-key']).toBe(LOOKUP_KEY);
  });

  it('keeps the lookup budget and retries, not the client’s', async () => {
    server = await startServer((_req, res) => json(res, 500, { error: 'boom' }));
    const client = track(new CareOS({ baseURL: server.url, env: {}, lookupApiKey: LOOKUP_KEY, maxRetries: 5, retryBaseDelay: 1, retryMaxDelay: 2 }));
    expect(await client.lookup.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'SERVER_ERROR' } });
    expect(server.requests).toHaveLength(2);
  });

  it('is closed by client.close()', async () => {
    const s = (server = await startLookupServer());
    const client = new CareOS({ baseURL: s.url, env: {}, lookupApiKey: LOOKUP_KEY });
    const lookup = client.lookup;
    await lookup.byPhone(FOUND_E164);
    await client.close();
    expect(await lookup.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'CLIENT_ERROR' } });
  });

  it('first used after client.close(), it is closed too', async () => {
    const s = (server = await startLookupServer());
    const client = new CareOS({ baseURL: s.url, env: {}, lookupApiKey: LOOKUP_KEY });
    await client.close();
    expect(await client.lookup.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'CLIENT_ERROR' } });
    expect(s.requests).toHaveLength(0);
  });

  it('refuses malformed lookup options when the client is built', () => {
    expect(() => new CareOS({ env: {}, lookup: { cache: { ttl: -1 } } })).toThrow(CareOSError);
    expect(() => new CareOS({ env: {}, lookup: { timeout: -1 } })).toThrow(/timeout/);
    expect(() => new CareOS({ env: {}, lookup: { auth: 'cookie' as 'header' } })).toThrow(/lookup auth/);
  });
});
