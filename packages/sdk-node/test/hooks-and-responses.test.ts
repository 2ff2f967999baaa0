import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { APIPromise, CareOS, CareOSError, InternalServerError, type AttemptInfo, type GiveUpInfo } from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner } from './helpers/fixtures.js';
import { errorBody, json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: CareOS;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

function scripted(statuses: number[]) {
  return startServer((_req, res, index) => {
    const status = statuses[Math.min(index, statuses.length - 1)] as number;
    json(res, status, status === 200 ? ingestResponse : errorBody(`failure ${status}`, undefined), { 'x-request-id': `req_${index}` });
  });
}

describe('hooks', () => {
  it('onAttempt fires for every attempt with what happened', async () => {
    server = await scripted([503, 500, 200]);
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: (i) => attempts.push(i) } });
    await client.leads.ingest(inboundLead(), { idempotencyKey: 'idem-42' });
    expect(attempts.map((a) => [a.attempt, a.status, a.willRetry, a.requestId])).toEqual([
      [1, 503, true, 'req_0'],
      [2, 500, true, 'req_1'],
      [3, 200, false, 'req_2'],
    ]);
    for (const a of attempts) {
      expect(a).toMatchObject({ routeId: 'ingestLead', method: 'POST', path: '/api/leads/ingest', idempotencyKey: 'idem-42' });
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(attempts[0]?.error).toBeInstanceOf(InternalServerError);
    expect(attempts[0]?.retryDelayMs).toBeGreaterThanOrEqual(0);
    expect(attempts[2]?.error).toBeUndefined();
  });

  it('onGiveUp fires once after the last retry, with the final error', async () => {
    server = await scripted([500]);
    const giveUps: GiveUpInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onGiveUp: (i) => giveUps.push(i) } });
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0]).toMatchObject({ reason: 'retries_exhausted', attempts: 4, routeId: 'ingestLead' });
    expect(giveUps[0]?.error).toBe(error);
  });

  it('onGiveUp says not_retryable for a 4xx, and stays quiet on success', async () => {
    server = await scripted([400, 200]);
    const giveUps: GiveUpInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onGiveUp: (i) => giveUps.push(i) } });
    await client.leads.ingest(inboundLead()).catch(() => {});
    await client.leads.ingest(inboundLead());
    expect(giveUps.map((g) => [g.reason, g.attempts])).toEqual([['not_retryable', 1]]);
  });

  it('a throwing hook does not change the outcome', async () => {
    server = await scripted([500, 200]);
    const boom = () => {
      throw new Error('hook bug');
    };
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: boom, onGiveUp: boom } });
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
  });

  it('path in hook info leaves out the query string', async () => {
    server = await startServer((_req, res) => json(res, 200, { payments: [], next_cursor: null }));
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: (i) => attempts.push(i) } });
    await client.partner.payments.list({ limit: 5 });
    expect(attempts[0]?.path).toBe('/api/partner/payments');
    expect(attempts[0]?.idempotencyKey).toBeUndefined();
  });
});

describe('responses', () => {
  it('methods return an APIPromise whose withResponse has status, headers and request id', async () => {
    server = await startServer((_req, res) => json(res, 200, ingestResponse, { 'x-request-id': 'req_9', 'idempotent-replayed': 'true' }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const promise = client.leads.ingest(inboundLead());
    expect(promise).toBeInstanceOf(APIPromise);
    expect(promise).toBeInstanceOf(Promise);
    const { data, response } = await promise.withResponse();
    expect(data).toEqual(ingestResponse);
    expect(response).toMatchObject({ status: 200, requestId: 'req_9' });
    expect(response.headers['idempotent-replayed']).toBe('true');
    await expect(promise).resolves.toEqual(ingestResponse);
    expect(server.requests).toHaveLength(1);
  });

  it('catch and finally work on the returned promise', async () => {
    server = await scripted([400]);
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    let finished = false;
    const caught = await client.leads
      .ingest(inboundLead())
      .finally(() => {
        finished = true;
      })
      .catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(CareOSError);
    expect(finished).toBe(true);
  });

  it('a 2xx body that is not JSON is a CareOSError, not retried', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>');
    });
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    await expect(client.health.check()).rejects.toThrow(/not JSON/);
    expect(server.requests).toHaveLength(1);
  });

  it('validateResponses checks responses against the contract', async () => {
    server = await startServer((_req, res) => json(res, 200, { success: true, careos_lead_id: 'not-prefixed' }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, validateResponses: true });
    await expect(client.leads.ingest(inboundLead())).rejects.toThrow(/does not match the contract.*careos_lead_id/);
    const lenient = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    await expect(lenient.leads.ingest(inboundLead())).resolves.toMatchObject({ careos_lead_id: 'not-prefixed' });
    await lenient.close();
  });

  it('sends the SDK user agent, JSON accept header and default headers; per-call headers win', async () => {
    server = await startServer((_req, res) => json(res, 200, { status: 'ok' }));
    client = new CareOS({ ...fastRetries, baseURL: `${server.url}/`, defaultHeaders: { 'X-Team': 'ops', 'X-Trace': 'a' } });
    await client.health.check({ headers: { 'x-trace': 'b' } });
    const headers = server.requests[0]?.headers ?? {};
    expect(headers['user-agent']).toMatch(/^careos-sdk-node\/0\.1\.0 node\//);
    expect(headers.accept).toBe('application/json');
    expect(headers['x-team']).toBe('ops');
    expect(headers['x-trace']).toBe('b');
    expect(server.requests[0]?.url).toBe('/health');
  });

  it('keeps a base URL path prefix', async () => {
    server = await startServer((_req, res) => json(res, 200, { status: 'ok' }));
    client = new CareOS({ ...fastRetries, baseURL: `${server.url}/careos/` });
    await client.health.check();
    expect(server.requests[0]?.url).toBe('/careos/health');
  });

  it('reads a body sent in pieces after an informational 103, dropping a UTF-8 byte-order mark', async () => {
    server = await startServer((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bom' });
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ ...ingestResponse, note: 'café ☕' }))]);
      // Split inside the BOM and inside a multi-byte character: only the whole body is decoded.
      res.write(body.subarray(0, 2));
      const cut = body.indexOf(Buffer.from('☕')) + 1;
      setTimeout(() => {
        res.write(body.subarray(2, cut));
        setTimeout(() => res.end(body.subarray(cut)), 5);
      }, 5);
    });
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const { data, response } = await client.leads.ingest(inboundLead()).withResponse();
    expect(data).toEqual({ ...ingestResponse, note: 'café ☕' });
    expect(response).toMatchObject({ status: 200, requestId: 'req_bom' });
  });

  it('hooks and the resolved value run in the caller’s async context', async () => {
    server = await startServer((_req, res) => json(res, 200, ingestResponse));
    const context = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: () => seen.push(context.getStore()) } });
    await context.run('caller-1', async () => {
      await client.leads.ingest(inboundLead());
      seen.push(context.getStore());
    });
    expect(seen).toEqual(['caller-1', 'caller-1']);
  });

  it('close() leaves a caller-provided dispatcher open', async () => {
    const { Agent } = await import('undici');
    server = await startServer((_req, res) => json(res, 200, { status: 'ok' }));
    const agent = new Agent();
    client = new CareOS({ ...fastRetries, baseURL: server.url, dispatcher: agent });
    await client.health.check();
    await client.close();
    expect(agent.closed).toBe(false);
    const direct = await agent.request({ origin: server.url, path: '/health', method: 'GET' });
    expect(direct.statusCode).toBe(200);
    await direct.body.text();
    await agent.close();
  });
});
