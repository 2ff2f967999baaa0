import { afterEach, describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  CareOS,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner } from './helpers/fixtures.js';
import { errorBody, json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
let client: CareOS | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

async function setup(statuses: readonly (number | [number, unknown, Record<string, string>?])[]): Promise<{ server: TestServer; client: CareOS }> {
  server = await startServer((_req, res, index) => {
    const step = statuses[Math.min(index, statuses.length - 1)] as number | [number, unknown, Record<string, string>?];
    const [status, body, headers] = typeof step === 'number' ? [step, status200(step), {}] : step;
    json(res, status, body, { 'x-request-id': `req_${index}`, ...headers });
  });
  client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
  return { server, client };
}

function status200(status: number): unknown {
  return status === 200 ? ingestResponse : errorBody(`failure ${status}`);
}

describe('retry policy per status', () => {
  it.each([408, 425, 429, 500, 502, 503, 504])('retries %i and then succeeds', async (status) => {
    const { server, client } = await setup([status, 200]);
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(server.requests).toHaveLength(2);
  });

  it('retries 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const { server, client } = await setup([[409, errorBody('A request with this idempotency key is still being processed', 'IDEMPOTENCY_IN_PROGRESS')], 200]);
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry any other 409', async () => {
    const { server, client } = await setup([[409, errorBody('Partner already exists', 'ALREADY_EXISTS')], 200]);
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { server, client } = await setup([500, 502, 503, 504, 200]);
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(504);
    expect((error as APIError).requestId).toBe('req_3');
    expect(server.requests).toHaveLength(4);
  });

  it('honours a per-request maxRetries', async () => {
    const { server, client } = await setup([500, 200]);
    await expect(client.leads.ingest(inboundLead(), { maxRetries: 0 })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries GET requests too', async () => {
    const lead = { id: 'lead_1' };
    const { server, client } = await setup([503, [200, lead]]);
    await expect(client.leads.retrieve('lead_1')).resolves.toEqual(lead);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(server.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });
});

describe('non-retryable 4xx', () => {
  it.each([
    [400, BadRequestError, 'User consent required', 'CONSENT_REQUIRED'],
    [401, AuthenticationError, 'Invalid API key', 'AUTH_FAILED'],
    [403, PermissionDeniedError, 'Insufficient role for this operation', 'FORBIDDEN'],
    [404, NotFoundError, 'Not found', 'NOT_FOUND'],
    [422, UnprocessableEntityError, 'Idempotency key reused with a different request body', 'IDEMPOTENCY_CONFLICT'],
  ] as const)('%i is thrown at once as %o with its fields', async (status, Class, text, code) => {
    const { server, client } = await setup([[status, errorBody(text, code, { message: 'detail here' }), { 'x-extra': 'yes' }], 200]);
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(code);
    expect(apiError.error).toBe(text);
    expect(apiError.requestId).toBe('req_0');
    expect(apiError.headers['x-extra']).toBe('yes');
    expect(apiError.body).toMatchObject({ error: text, code });
    expect(apiError.message).toContain(text);
    expect(apiError.message).toContain('req_0');
    expect(server.requests).toHaveLength(1);
  });

  it('413 and 415 become a plain APIError and are not retried', async () => {
    const { server, client } = await setup([[413, errorBody('Request body too large', 'PAYLOAD_TOO_LARGE')], 200]);
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(BadRequestError);
    expect((error as APIError).status).toBe(413);
    expect(server.requests).toHaveLength(1);
  });

  it('reads the request id from the body when the header is missing, and keeps a non-JSON body as text', async () => {
    server = await startServer((_req, res, index) => {
      if (index === 0) return json(res, 400, errorBody('Invalid request body', 'VALIDATION_FAILED', { request_id: 'req_body' }));
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
    });
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, maxRetries: 0 });
    const first = (await client.leads.ingest(inboundLead()).catch((e: unknown) => e)) as APIError;
    expect(first.requestId).toBe('req_body');
    const second = (await client.leads.ingest(inboundLead()).catch((e: unknown) => e)) as APIError;
    expect(second).toBeInstanceOf(InternalServerError);
    expect(second.body).toBe('<html>Bad gateway</html>');
    expect(second.error).toBeUndefined();
  });
});

describe('idempotency across retries', () => {
  it('sends the same Idempotency-Key and identical body bytes on every attempt', async () => {
    const { server, client } = await setup([500, 429, 503, 200]);
    await client.leads.ingest(inboundLead());
    expect(server.requests).toHaveLength(4);
    const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    const first = server.requests[0]?.body;
    for (const request of server.requests) expect(request.body.equals(first as Buffer)).toBe(true);
  });

  it('uses a new key for each call and the caller’s key when given', async () => {
    const { server, client } = await setup([200]);
    await client.leads.ingest(inboundLead());
    await client.leads.ingest(inboundLead());
    await client.leads.ingest(inboundLead(), { idempotencyKey: 'my-key-1' });
    const [a, b, c] = server.requests.map((r) => r.headers['idempotency-key']);
    expect(a).not.toBe(b);
    expect(c).toBe('my-key-1');
  });
});

describe('Retry-After', () => {
  it('waits what retry-after-ms asks, clamped to maxRetryAfter', async () => {
    const { server, client } = await setup([[429, errorBody('Rate limit exceeded', 'RATE_LIMITED', { retryAfter: 1 }), { 'retry-after-ms': '30' }], 200]);
    const attempts: (number | undefined)[] = [];
    const hooked = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: (i) => attempts.push(i.retryDelayMs) } });
    await hooked.leads.ingest(inboundLead());
    await hooked.close();
    expect(attempts).toEqual([30, undefined]);
    expect(client).toBeDefined();
  });

  it('clamps a long Retry-After to maxRetryAfter and exposes it on the error', async () => {
    const { server } = await setup([[429, errorBody('Rate limit exceeded', 'RATE_LIMITED', { retryAfter: 120 }), { 'retry-after': '120' }]]);
    const delays: (number | undefined)[] = [];
    const hooked = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, maxRetries: 1, hooks: { onAttempt: (i) => delays.push(i.retryDelayMs) } });
    const error = (await hooked.leads.ingest(inboundLead()).catch((e: unknown) => e)) as RateLimitError;
    await hooked.close();
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(120);
    expect(delays).toEqual([50, undefined]);
  });

  it('falls back to the body’s retryAfter when no header is sent', async () => {
    const { server } = await setup([[429, errorBody('Rate limit exceeded', 'RATE_LIMITED', { retryAfter: 7 })]]);
    const delays: (number | undefined)[] = [];
    const hooked = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, maxRetries: 1, hooks: { onAttempt: (i) => delays.push(i.retryDelayMs) } });
    const error = (await hooked.leads.ingest(inboundLead()).catch((e: unknown) => e)) as RateLimitError;
    await hooked.close();
    expect(error.retryAfter).toBe(7);
    expect(delays[0]).toBe(50);
  });
});
