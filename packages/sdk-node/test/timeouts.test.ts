import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError, APIUserAbortError, CareOS, InternalServerError, type AttemptInfo, type GiveUpInfo } from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner } from './helpers/fixtures.js';
import { errorBody, json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
let client: CareOS | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

/** Answers after `ms`, unless the client has gone. */
function later(res: ServerResponse, ms: number, send: () => void): void {
  const timer = setTimeout(send, ms);
  res.on('close', () => clearTimeout(timer));
}

function recorder() {
  const attempts: AttemptInfo[] = [];
  const giveUps: GiveUpInfo[] = [];
  return { attempts, giveUps, hooks: { onAttempt: (i: AttemptInfo) => attempts.push(i), onGiveUp: (i: GiveUpInfo) => giveUps.push(i) } };
}

describe('per-attempt timeout', () => {
  it('times out a slow attempt and retries it', async () => {
    server = await startServer((_req, res, index) => {
      if (index === 0) later(res, 2000, () => json(res, 200, ingestResponse));
      else json(res, 200, ingestResponse);
    });
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 100, hooks: seen.hooks });
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(server.requests).toHaveLength(2);
    expect(seen.attempts[0]?.error).toBeInstanceOf(APITimeoutError);
    expect(seen.attempts[0]?.willRetry).toBe(true);
  });

  it('times out a body that stalls after the headers', async () => {
    server = await startServer((_req, res, index) => {
      if (index > 0) return json(res, 200, ingestResponse);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"success":');
      later(res, 2000, () => res.end('true}'));
    });
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 100, hooks: seen.hooks });
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(seen.attempts[0]?.error).toBeInstanceOf(APITimeoutError);
  });

  it('rejects with APITimeoutError once every attempt timed out', async () => {
    server = await startServer((_req, res) => later(res, 2000, () => json(res, 200, ingestResponse)));
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 50, maxRetries: 2, hooks: seen.hooks });
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(3);
    expect(seen.giveUps).toHaveLength(1);
    expect(seen.giveUps[0]).toMatchObject({ reason: 'retries_exhausted', attempts: 3 });
  });

  it('takes a per-request timeout', async () => {
    server = await startServer((_req, res) => later(res, 2000, () => json(res, 200, ingestResponse)));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 60_000 });
    await expect(client.leads.ingest(inboundLead(), { timeout: 50, maxRetries: 0 })).rejects.toBeInstanceOf(APITimeoutError);
  });

  it('a call whose timeout passes while it waits for a connection is never sent', async () => {
    const { Agent } = await import('undici');
    server = await startServer((_req, res, index) => {
      if (index === 0) later(res, 300, () => json(res, 200, ingestResponse));
      else json(res, 200, ingestResponse);
    });
    // One connection: the second call queues behind the first and times out before it gets the socket.
    const agent = new Agent({ connections: 1 });
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, dispatcher: agent });
    const first = client.leads.ingest(inboundLead(), { timeout: 5_000 });
    const second = client.leads.ingest(inboundLead({ source_conversation_id: 'queued' }), { timeout: 50, maxRetries: 0 }).catch((e: unknown) => e);
    await expect(first).resolves.toEqual(ingestResponse);
    expect(await second).toBeInstanceOf(APITimeoutError);
    // The connection is free again and carries the next call; the timed-out one was dropped unsent.
    await expect(client.leads.ingest(inboundLead({ source_conversation_id: 'third' }))).resolves.toEqual(ingestResponse);
    expect(server.requests.map((r) => JSON.parse(r.body.toString()).source_conversation_id)).toEqual([inboundLead().source_conversation_id, 'third']);
    await agent.close();
  });
});

describe('deadline', () => {
  it('stops retrying when the overall deadline passes', async () => {
    server = await startServer((_req, res) => later(res, 5000, () => json(res, 200, ingestResponse)));
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 100, maxRetries: 50, hooks: seen.hooks });
    const error = await client.leads.ingest(inboundLead(), { deadline: 350 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/Deadline of 350 ms exceeded/);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThan(10);
    expect(seen.giveUps).toHaveLength(1);
    expect(seen.giveUps[0]?.reason).toBe('deadline_exceeded');
  });

  it('cuts an attempt short when the deadline is shorter than the timeout', async () => {
    server = await startServer((_req, res) => later(res, 5000, () => json(res, 200, ingestResponse)));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, timeout: 30_000, deadline: 100 });
    const error = await client.leads.ingest(inboundLead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/Deadline/);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up at once when the next wait would pass the deadline', async () => {
    server = await startServer((_req, res) => json(res, 503, errorBody('Service unavailable'), { 'retry-after-ms': '5000' }));
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, maxRetryAfter: 10_000, hooks: seen.hooks });
    const error = await client.leads.ingest(inboundLead(), { deadline: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).cause).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(seen.attempts[0]?.willRetry).toBe(false);
    expect(seen.giveUps[0]?.reason).toBe('deadline_exceeded');
  });
});

describe('AbortSignal', () => {
  it('an already aborted signal sends nothing', async () => {
    server = await startServer((_req, res) => json(res, 200, ingestResponse));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    await expect(client.leads.ingest(inboundLead(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('aborting during a request rejects at once and does not retry', async () => {
    server = await startServer((_req, res) => later(res, 5000, () => json(res, 200, ingestResponse)));
    const seen = recorder();
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: seen.hooks });
    const controller = new AbortController();
    const pending = client.leads.ingest(inboundLead(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
    expect(seen.giveUps).toHaveLength(0);
  });

  it('aborting during the wait between retries rejects at once', async () => {
    server = await startServer((_req, res) => json(res, 503, errorBody('Service unavailable'), { 'retry-after-ms': '10000' }));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, maxRetryAfter: 10_000 });
    const controller = new AbortController();
    const pending = client.leads.ingest(inboundLead(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it('a caller abort wins over a deadline', async () => {
    server = await startServer((_req, res) => later(res, 5000, () => json(res, 200, ingestResponse)));
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url });
    const controller = new AbortController();
    const pending = client.leads.ingest(inboundLead(), { signal: controller.signal, deadline: 10_000 });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
