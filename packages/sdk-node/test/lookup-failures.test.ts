// Fail-open: whatever goes wrong upstream, byPhone() resolves { found: false, error } within its
// budget (or, with throwOnError, rejects with the SDK's typed error), and never caches it.
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  CareOSError,
  InternalServerError,
  LookupClient,
  LookupNotConfiguredError,
  NotFoundError,
  RateLimitError,
  RequestValidationError,
  type LookupClientOptions,
  type LookupResult,
} from '../src/index.js';
import { answerLookup, FOUND_E164, LOOKUP_KEY } from './helpers/lookup.js';
import { json, startServer, type Handler, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
let clients: LookupClient<boolean>[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
  server = undefined;
  clients = [];
});

async function serve(handler: Handler): Promise<TestServer> {
  server = await startServer(handler);
  return server;
}

function client<Throw extends boolean = false>(options: LookupClientOptions<Throw> = {}): LookupClient<Throw> {
  const lookup = new LookupClient<Throw>({ apiKey: LOOKUP_KEY, baseURL: server?.url, env: {}, retryBaseDelay: 1, retryMaxDelay: 5, ...options });
  clients.push(lookup);
  return lookup;
}

/** Serves `steps` in order (the last one repeats): a status with the error envelope, or 'ok' for the lookup's own answer. */
function script(...steps: (number | 'ok' | 'hang' | 'reset' | [number, unknown, Record<string, string>?])[]): Handler {
  return (request, res, index) => {
    const step = steps[Math.min(index, steps.length - 1)];
    if (step === 'ok') return answerLookup(request, res);
    if (step === 'hang') return;
    if (step === 'reset') return void res.socket?.destroy();
    const [status, body, headers] = typeof step === 'number' ? [step, { error: `failure ${step}`, request_id: `req_${index}` }, {}] : (step as [number, unknown, Record<string, string>?]);
    json(res, status, body, { 'x-request-id': `req_${index}`, ...headers });
  };
}

describe('fail-open: byPhone resolves { found: false, error } instead of throwing', () => {
  it('timeout: no answer within the budget is TIMEOUT, with no retry past the budget', async () => {
    const s = await serve(script('hang'));
    const result = await client({ timeout: 150 }).byPhone(FOUND_E164);
    expect(result).toEqual({ found: false, error: { code: 'TIMEOUT', message: 'Deadline of 150 ms exceeded' } });
    expect(s.requests).toHaveLength(1);
  });

  it('the default budget is the seed’s 2 seconds', async () => {
    await serve(script('hang'));
    const result = await client().byPhone(FOUND_E164);
    expect(result).toEqual({ found: false, error: { code: 'TIMEOUT', message: 'Deadline of 2000 ms exceeded' } });
  });

  it('5xx: one quick retry, then SERVER_ERROR with status and request id', async () => {
    const s = await serve(script(500, 502));
    expect(await client().byPhone(FOUND_E164)).toEqual({
      found: false,
      error: { code: 'SERVER_ERROR', status: 502, requestId: 'req_1', message: expect.stringContaining('502 failure 502') },
    });
    expect(s.requests).toHaveLength(2);
  });

  it('one retry mends a blip: 503 then the answer', async () => {
    const s = await serve(script(503, 'ok'));
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: true, case_id: '9' });
    expect(s.requests).toHaveLength(2);
  });

  it('one retry mends a keep-alive socket the server reset', async () => {
    const s = await serve(script('reset', 'ok'));
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: true });
    expect(s.requests).toHaveLength(2);
  });

  it('401: UNAUTHORIZED, not retried', async () => {
    const s = await serve(script([401, { error: 'Unauthorized' }]));
    expect(await client().byPhone(FOUND_E164)).toEqual({
      found: false,
      error: { code: 'UNAUTHORIZED', status: 401, requestId: 'req_0', message: expect.stringContaining('401 Unauthorized') },
    });
    expect(s.requests).toHaveLength(1);
  });

  it('429 whose Retry-After does not fit in the budget: RATE_LIMITED at once, with retryAfter', async () => {
    const s = await serve(script([429, { error: 'Rate limit exceeded', code: 'RATE_LIMITED', retryAfter: 30 }, { 'retry-after': '30' }]));
    // Waiting 30 s would overrun the 2 s budget and end as TIMEOUT instead.
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'RATE_LIMITED', status: 429, retryAfter: 30 } });
    expect(s.requests).toHaveLength(1);
  });

  it('connection refused: CONNECTION_ERROR', async () => {
    const s = await serve(script('ok'));
    const url = s.url;
    await s.close();
    server = undefined;
    expect(await client({ baseURL: url }).byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'CONNECTION_ERROR', message: expect.stringMatching(/ECONNREFUSED/) } });
  });

  it('a 404 that is not the lookup’s "no case" (a wrong base URL, a proxy) is API_ERROR, never a silent "no case"', async () => {
    await serve(script([404, { error: 'Not found', code: 'NOT_FOUND' }]));
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'API_ERROR', status: 404 } });
    await server?.close();
    await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'API_ERROR', status: 404 } });
  });

  it('a 200 that is not a lookup answer is CLIENT_ERROR', async () => {
    await serve(script([200, { status: 'ok' }]));
    expect(await client().byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'CLIENT_ERROR' } });
  });

  it('input that is no phone number is INVALID_PHONE, and nothing is sent', async () => {
    const s = await serve(script('ok'));
    const lookup = client();
    for (const input of ['hello', '', '   ', '12', '+0123456789', 'x'.repeat(500), 42 as unknown as string, undefined as unknown as string]) {
      expect(await lookup.byPhone(input), String(input)).toMatchObject({ found: false, error: { code: 'INVALID_PHONE' } });
    }
    expect(s.requests).toHaveLength(0);
    expect(lookup.stats()).toMatchObject({ errors: 8, misses: 0 });
  });

  it('an E.164-shaped number the API finds impossible is INVALID_PHONE too (its 400)', async () => {
    await serve(script([400, { error: 'Invalid phone number', code: 'VALIDATION_FAILED' }]));
    expect(await client().byPhone('+1234567')).toMatchObject({ found: false, error: { code: 'INVALID_PHONE', status: 400 } });
  });

  it('no key: NOT_CONFIGURED, nothing sent; the key is read from CAREOS_LOOKUP_API_KEY', async () => {
    const s = await serve(script('ok'));
    expect(await client({ apiKey: undefined }).byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'NOT_CONFIGURED', message: expect.stringContaining('CAREOS_LOOKUP_API_KEY') } });
    expect(s.requests).toHaveLength(0);
    await client({ apiKey: undefined, env: { CAREOS_LOOKUP_API_KEY: 'lookup_test_fromenv123' } }).byPhone(FOUND_E164);
    expect(s.requests[0]?.headers['x-api-key']).toBe('lookup_test_fromenv123');
  });

  it('a closed client answers CLIENT_ERROR', async () => {
    await serve(script('ok'));
    const lookup = client();
    await lookup.byPhone(FOUND_E164);
    await lookup.close();
    expect(await lookup.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'CLIENT_ERROR', message: expect.stringMatching(/closed/) } });
  });

  it('a failure never carries the phone number', async () => {
    await serve(script([500, { error: 'Lookup of +390622224444 failed' }]));
    const result = await client({ maxRetries: 0 }).byPhone('+39 06 2222 4444');
    expect(result).toMatchObject({ found: false, error: { code: 'SERVER_ERROR' } });
    // The API's own text is quoted as sent; the SDK adds no phone of its own.
    expect(JSON.stringify(result).match(/0622224444/g)).toHaveLength(1);
    expect(await client({ maxRetries: 0 }).byPhone('not a phone 555')).toMatchObject({ error: { message: expect.not.stringContaining('555') } });
  });
});

describe('throwOnError', () => {
  const rejection = async (lookup: LookupClient<true>, phone = FOUND_E164) => lookup.byPhone(phone).then(() => undefined, (error: unknown) => error);

  it('rejects with the typed error of each failure', async () => {
    await serve(script([401, { error: 'Unauthorized' }]));
    expect(await rejection(client({ throwOnError: true }))).toBeInstanceOf(AuthenticationError);
    await server?.close();

    await serve(script(500));
    expect(await rejection(client({ throwOnError: true }))).toBeInstanceOf(InternalServerError);
    await server?.close();

    await serve(script([429, { error: 'Rate limit exceeded', retryAfter: 30 }, { 'retry-after': '30' }]));
    const limited = await rejection(client({ throwOnError: true }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfter).toBe(30);
    await server?.close();

    await serve(script('hang'));
    expect(await rejection(client({ throwOnError: true, timeout: 100 }))).toBeInstanceOf(APITimeoutError);
    await server?.close();

    await serve(script([404, { error: 'Not found' }]));
    expect(await rejection(client({ throwOnError: true }))).toBeInstanceOf(NotFoundError);
    const url = (server as TestServer).url;
    await server?.close();
    server = undefined;

    const refused = await rejection(client({ throwOnError: true, baseURL: url }));
    expect(refused).toBeInstanceOf(APIConnectionError);
    expect(refused).not.toBeInstanceOf(APITimeoutError);
  });

  it('rejects input and configuration errors before sending anything, and aborts with APIUserAbortError', async () => {
    const s = await serve(script('hang'));
    const invalid = await rejection(client({ throwOnError: true }), 'hello');
    expect(invalid).toBeInstanceOf(RequestValidationError);
    expect((invalid as RequestValidationError).location).toBe('phone');
    const unconfigured = await rejection(client({ throwOnError: true, apiKey: undefined }));
    expect(unconfigured).toBeInstanceOf(LookupNotConfiguredError);
    expect(unconfigured).toBeInstanceOf(CareOSError);
    expect(s.requests).toHaveLength(0);

    const controller = new AbortController();
    const pending = client({ throwOnError: true }).byPhone(FOUND_E164, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('still resolves both of the API’s answers, typed without the failure', async () => {
    await serve(script('ok'));
    const lookup = client({ throwOnError: true });
    const found: LookupResult = await lookup.byPhone(FOUND_E164);
    const none: LookupResult = await lookup.byPhone('+14155550100');
    expect(found.found).toBe(true);
    expect(none).toEqual({ found: false, message: 'No case found for phone number: +14155550100', phone: '+14155550100' });
  });
});
