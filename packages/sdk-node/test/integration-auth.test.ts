import type { ServerResponse } from 'node:http';
import { routes } from '@careos/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APIUserAbortError,
  AuthenticationError,
  CareOSError,
  CareOSIntegration,
  TokenExpiredError,
  type LogFields,
  type Logger,
} from '../src/index.js';
import { CareOSCore } from '../src/core/core.js';
import { fakeClock } from './helpers/clock.js';
import { fastRetries } from './helpers/fixtures.js';
import { AUTH_PATH, bearer, fakeJwt, integrationCredentials as creds } from './helpers/integration.js';
import { errorBody, json, startServer, type RecordedRequest, type TestServer } from './helpers/server.js';

const clientList = { clients: [], total: 0 };
const expired = () => errorBody('Token expired', 'TOKEN_EXPIRED');

let server: TestServer;
let client: CareOSIntegration | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
});

interface AuthServerOptions {
  /** Whether a data call with this token succeeds; otherwise it gets 401 TOKEN_EXPIRED. */
  accepts?: (token: string) => boolean;
  /** Delay of every token response, ms. */
  authDelay?: number;
  /** Called with the n-th exchange (1-based) before answering it; resolve to let it answer. */
  holdAuth?: (n: number) => Promise<void> | undefined;
}

/** A server issuing `tok1`, `tok2`, ... from the exchange and answering every other route with an empty client list. */
async function integrationServer(options: AuthServerOptions = {}) {
  let issued = 0;
  server = await startServer(async (req, res) => {
    if (req.url === AUTH_PATH) {
      const n = ++issued;
      await options.holdAuth?.(n);
      setTimeout(() => json(res, 200, { token: `tok${n}`, expiresIn: 3600, tokenType: 'Bearer' }), options.authDelay ?? 0);
      return;
    }
    if (!(options.accepts ?? (() => true))(bearer(req) ?? '')) return json(res, 401, expired());
    json(res, 200, clientList);
  });
  return server;
}

const exchanges = () => server.requests.filter((r) => r.url === AUTH_PATH);
const calls = () => server.requests.filter((r) => r.url !== AUTH_PATH);
const newClient = (extra: Record<string, unknown> = {}) =>
  (client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: server.url, ...extra }));

describe('integration token exchange', () => {
  it('exchanges key, secret and therapist once, then sends the token as a bearer', async () => {
    await integrationServer();
    newClient();
    await expect(client?.clients.list()).resolves.toEqual(clientList);
    await client?.clients.list();
    expect(exchanges()).toHaveLength(1);
    const exchange = exchanges()[0] as RecordedRequest;
    expect(exchange.method).toBe('POST');
    expect(JSON.parse(exchange.body.toString())).toEqual(creds);
    // The exchange is authenticated by its body only: it must not wait on (or carry) a token itself.
    expect(exchange.headers.authorization).toBeUndefined();
    expect(exchange.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls().map(bearer)).toEqual(['tok1', 'tok1']);
  });

  it('reads the credentials and base URL from CAREOS_INTEGRATION_API_KEY, CAREOS_INTEGRATION_API_SECRET, CAREOS_THERAPIST_ID, CAREOS_API_URL', async () => {
    await integrationServer();
    client = new CareOSIntegration({
      ...fastRetries,
      env: {
        CAREOS_INTEGRATION_API_KEY: creds.apiKey,
        CAREOS_INTEGRATION_API_SECRET: creds.apiSecret,
        CAREOS_THERAPIST_ID: creds.therapistId,
        CAREOS_API_URL: server.url,
        // The lead-partner key is another credential: it must not be taken for the integration key.
        CAREOS_API_KEY: 'businessos_live_notthisone',
      },
    });
    expect(client.therapistId).toBe(creds.therapistId);
    expect(client.baseURL).toBe(server.url);
    await client.clients.list();
    expect(JSON.parse(exchanges()[0]?.body.toString() ?? '{}')).toEqual(creds);
  });

  it('options win over the environment', async () => {
    await integrationServer();
    newClient({ therapistId: 'therapist-from-option', env: { CAREOS_THERAPIST_ID: 'therapist-from-env', CAREOS_INTEGRATION_API_KEY: 'int_test_fromenv000000' } });
    await client?.clients.list();
    expect(JSON.parse(exchanges()[0]?.body.toString() ?? '{}')).toEqual({ ...creds, therapistId: 'therapist-from-option' });
  });

  it('names the missing credentials and sends nothing', async () => {
    await integrationServer();
    client = new CareOSIntegration({ ...fastRetries, apiKey: creds.apiKey, baseURL: server.url });
    const error = (await client.clients.list().catch((e: unknown) => e)) as CareOSError;
    expect(error).toBeInstanceOf(CareOSError);
    expect(error.message).toMatch(/apiSecret \(env CAREOS_INTEGRATION_API_SECRET\), therapistId \(env CAREOS_THERAPIST_ID\)/);
    expect(error.message).not.toContain('apiKey (env');
    await expect(client.auth.token()).rejects.toThrow(/needs integration credentials/);
    expect(server.requests).toHaveLength(0);
  });

  it('a core without integration credentials (that of new CareOS()) refuses integration routes instead of sending them unauthenticated', async () => {
    await integrationServer();
    const core = new CareOSCore({ ...fastRetries, baseURL: server.url });
    await expect(core.request(routes.listIntegrationClients)).rejects.toThrow(/therapist-integration route: call it through new CareOSIntegration\(\)/);
    await core.close();
    expect(server.requests).toHaveLength(0);
  });

  it('a wrong secret surfaces as the exchange’s AuthenticationError, without retrying or recursing', async () => {
    server = await startServer((_req, res) => json(res, 401, errorBody('Invalid API secret', 'AUTH_FAILED')));
    newClient();
    const error = (await client?.clients.list().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(TokenExpiredError);
    expect(error.error).toBe('Invalid API secret');
    expect(server.requests.map((r) => r.url)).toEqual([AUTH_PATH]);
  });

  it('retries a failed exchange like any call, with the same Idempotency-Key', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      if (req.url === AUTH_PATH && ++n === 1) return json(res, 503, errorBody('Service unavailable'));
      if (req.url === AUTH_PATH) return json(res, 200, { token: 'tok1', expiresIn: 3600, tokenType: 'Bearer' });
      json(res, 200, clientList);
    });
    newClient();
    await client?.clients.list();
    const [first, second] = exchanges();
    expect(exchanges()).toHaveLength(2);
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(calls().map(bearer)).toEqual(['tok1']);
  });
});

describe('integration token refresh', () => {
  it('100 concurrent calls on a new client share one exchange', async () => {
    await integrationServer({ authDelay: 30 });
    newClient();
    const results = await Promise.all(Array.from({ length: 100 }, () => client?.clients.list()));
    expect(results).toHaveLength(100);
    expect(exchanges()).toHaveLength(1);
    expect(calls()).toHaveLength(100);
    expect(new Set(calls().map(bearer))).toEqual(new Set(['tok1']));
  });

  it('on 401 TOKEN_EXPIRED refreshes once and replays the call once', async () => {
    await integrationServer({ accepts: (token) => token !== 'tok1' });
    newClient();
    await expect(client?.clients.list()).resolves.toEqual(clientList);
    expect(exchanges()).toHaveLength(2);
    expect(calls().map(bearer)).toEqual(['tok1', 'tok2']);
  });

  it('replays a POST with the same Idempotency-Key and body', async () => {
    server = await startServer((req, res) => {
      if (req.url === AUTH_PATH) return json(res, 200, { token: `tok${exchanges().length}`, expiresIn: 3600, tokenType: 'Bearer' });
      if (bearer(req) === 'tok1') return json(res, 401, expired());
      json(res, 201, { message: 'Activity assigned', task: { id: 'task_1' } });
    });
    newClient();
    await client?.clients.assign('client_1', { taskDescription: 'Love Map exercise', priority: 'high' });
    const [first, replay] = calls();
    expect(calls()).toHaveLength(2);
    expect(replay?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(replay?.body.toString()).toBe(first?.body.toString());
    expect(JSON.parse(first?.body.toString() ?? '{}')).toEqual({ taskDescription: 'Love Map exercise', priority: 'high' });
    expect(calls().map(bearer)).toEqual(['tok1', 'tok2']);
  });

  it('a persistent 401 TOKEN_EXPIRED surfaces as TokenExpiredError after exactly one replay', async () => {
    await integrationServer({ accepts: () => false });
    const attempts: (number | undefined)[] = [];
    newClient({ hooks: { onAttempt: (info: { routeId: string; status: number | undefined }) => info.routeId !== 'createIntegrationToken' && attempts.push(info.status) } });
    const error = (await client?.clients.list().catch((e: unknown) => e)) as TokenExpiredError;
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED', requestId: 'req_test' });
    expect(exchanges()).toHaveLength(2);
    expect(calls().map(bearer)).toEqual(['tok1', 'tok2']);
    expect(attempts).toEqual([401, 401]);
  });

  it('each call gets its own single replay: the next call after a failure starts afresh', async () => {
    await integrationServer({ accepts: () => false });
    newClient();
    await expect(client?.clients.list()).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(client?.clients.list()).rejects.toBeInstanceOf(TokenExpiredError);
    // tok2 was refused on the first call's replay, so the second call starts with it and refreshes to tok3.
    expect(calls().map(bearer)).toEqual(['tok1', 'tok2', 'tok2', 'tok3']);
    expect(exchanges()).toHaveLength(3);
  });

  it('another 401 (an invalid token) is not a reason to exchange again', async () => {
    server = await startServer((req, res) => {
      if (req.url === AUTH_PATH) return json(res, 200, { token: 'tok1', expiresIn: 3600, tokenType: 'Bearer' });
      json(res, 401, errorBody('Invalid integration token', 'AUTH_FAILED'));
    });
    newClient();
    const error = await client?.clients.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(TokenExpiredError);
    expect(exchanges()).toHaveLength(1);
    expect(calls()).toHaveLength(1);
  });

  it('blocks on a refresh before the call once less than a minute is left', async () => {
    await integrationServer();
    const clock = fakeClock();
    newClient();
    await client?.clients.list();
    clock.age(3_570_000); // 30 s left of the hour
    await client?.clients.list();
    expect(exchanges()).toHaveLength(2);
    expect(calls().map(bearer)).toEqual(['tok1', 'tok2']);
  });

  it('refreshes in the background when the token is getting old, without holding up calls', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await integrationServer({ holdAuth: (n) => (n === 2 ? released : undefined) });
    const clock = fakeClock();
    newClient();
    await client?.clients.list(); // first exchange, blocking: tok1
    clock.age(3_400_000); // 200 s left: inside the 5-minute background window, well outside the 1-minute blocking one
    // The background exchange (tok2) is held by the server; these calls must not wait for it.
    await client?.clients.list();
    await Promise.all(Array.from({ length: 10 }, () => client?.clients.list()));
    expect(exchanges()).toHaveLength(2);
    expect(calls()).toHaveLength(12);
    expect(new Set(calls().map(bearer))).toEqual(new Set(['tok1']));
    release();
    await vi.waitFor(async () => {
      await client?.clients.list();
      expect(bearer(calls().at(-1) as RecordedRequest)).toBe('tok2');
    });
  });

  it('a caller’s abort stops its own wait for a token, not the shared exchange', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await integrationServer({ holdAuth: () => released });
    newClient();
    const controller = new AbortController();
    const aborted = client?.clients.list({ signal: controller.signal });
    const patient = client?.clients.list();
    await vi.waitFor(() => expect(exchanges()).toHaveLength(1));
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(APIUserAbortError);
    release();
    await expect(patient).resolves.toEqual(clientList);
    expect(exchanges()).toHaveLength(1);
    expect(calls().map(bearer)).toEqual(['tok1']);
  });
});

describe('auth.token() and auth.createToken()', () => {
  it('token() is the cached token the client sends, fetched once', async () => {
    await integrationServer();
    newClient();
    const [a, b] = await Promise.all([client?.auth.token(), client?.auth.token()]);
    expect([a, b]).toEqual(['tok1', 'tok1']);
    await client?.clients.list();
    expect(calls().map(bearer)).toEqual(['tok1']);
    expect(exchanges()).toHaveLength(1);
  });

  it('createToken() exchanges every time and leaves the client’s own token alone', async () => {
    await integrationServer();
    newClient();
    await client?.clients.list(); // tok1, cached
    const mine = await client?.auth.createToken();
    expect(mine).toEqual({ token: 'tok2', expiresIn: 3600, tokenType: 'Bearer' });
    const other = await client?.auth.createToken({ therapistId: 'another-therapist' });
    expect(other?.token).toBe('tok3');
    expect(JSON.parse(exchanges()[2]?.body.toString() ?? '{}')).toEqual({ ...creds, therapistId: 'another-therapist' });
    await client?.clients.list();
    expect(calls().map(bearer)).toEqual(['tok1', 'tok1']);
  });
});

describe('logging', () => {
  it('never passes the API key, secret or tokens to the logger', async () => {
    const lines: { message: string; fields?: LogFields }[] = [];
    const at = (message: string, fields?: LogFields) => lines.push({ message, fields });
    const logger: Logger = { debug: at, info: at, warn: at, error: at };
    const tokens = [fakeJwt(1), fakeJwt(2)];
    let n = 0;
    server = await startServer((req, res: ServerResponse) => {
      if (req.url === AUTH_PATH) {
        // A server (or proxy) that echoes the request in its error: the retry warning must not carry it on.
        if (++n === 1) return json(res, 503, errorBody(`Unavailable for ${req.body.toString()}`));
        return json(res, 200, { token: tokens[n - 2], expiresIn: 3600, tokenType: 'Bearer' });
      }
      if (bearer(req) === tokens[0]) return json(res, 401, errorBody(`Token expired: ${req.headers.authorization}`, 'TOKEN_EXPIRED'));
      json(res, 200, clientList);
    });
    newClient({ logger });
    await client?.clients.list();
    expect(calls().map(bearer)).toEqual(tokens);
    const logged = JSON.stringify(lines);
    expect(lines.some((l) => l.message.includes('Integration token refreshed'))).toBe(true);
    expect(lines.some((l) => l.message.includes('retrying'))).toBe(true);
    expect(logged).toContain('[REDACTED]');
    for (const secret of [creds.apiKey, creds.apiSecret, ...tokens]) expect(logged).not.toContain(secret);
  });
});
