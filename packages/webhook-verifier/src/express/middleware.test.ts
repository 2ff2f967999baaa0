import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestHeaders } from '../node/test-headers.js';
import { webhookMiddleware } from '../express.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alert_id: 'al_1' });
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An app whose webhook route answers with what the middleware put on `req.webhook`. */
function app(setup: (app: Express) => void, ...middleware: express.RequestHandler[]): Express {
  const created = express();
  setup(created);
  created.post('/webhooks', ...middleware, (req, res) => {
    const webhook = req.webhook!;
    res.json({ type: webhook.type, id: webhook.id, scheme: webhook.scheme, event: webhook.event });
  });
  return created;
}

async function post(url: string, payload: string | ReadableStream<Uint8Array>, headers: Record<string, string | undefined>) {
  const sent = Object.fromEntries(Object.entries({ 'content-type': 'application/json', ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const res = await fetch(`${url}/webhooks`, { method: 'POST', body: payload, headers: sent, ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as Record<string, unknown> };
}

describe('webhookMiddleware', () => {
  it('reads the raw body itself, with no body parser anywhere, and sets the verified event on req.webhook', async () => {
    const url = await listen(createServer(app(() => {}, webhookMiddleware(secret))));
    const headers = createTestHeaders(secret, body, { event: 'alert.created', id: 'msg_a' });
    const res = await post(url, body, headers);
    expect(res).toMatchObject({ status: 200, json: { type: 'alert.created', id: 'msg_a', scheme: 'standard', event: JSON.parse(body) } });
  });

  it('answers 400 { error, code } as JSON for a tampered or stale delivery, and never reaches the handler', async () => {
    const url = await listen(createServer(app(() => {}, webhookMiddleware(secret))));
    const tampered = await post(url, body.replace('al_1', 'al_2'), createTestHeaders(secret, body, { event: 'alert.created' }));
    expect(tampered.status).toBe(400);
    expect(tampered.contentType).toContain('application/json');
    expect(tampered.json).toEqual({ code: 'NO_MATCHING_SIGNATURE', error: expect.stringContaining('secret is wrong') });
    const stale = await post(url, body, createTestHeaders(secret, body, { event: 'alert.created', timestamp: new Date(Date.now() - 600_000) }));
    expect(stale).toMatchObject({ status: 400, json: { code: 'TIMESTAMP_TOO_OLD', error: expect.stringContaining('10m') } });
    const unsigned = await post(url, body, {});
    expect(unsigned).toMatchObject({ status: 400, json: { code: 'MISSING_HEADER' } });
  });

  it('uses the Buffer of a route-level express.raw()', async () => {
    const url = await listen(createServer(app(() => {}, express.raw({ type: 'application/json' }), webhookMiddleware(secret))));
    const res = await post(url, body, createTestHeaders(secret, body, { event: 'alert.created' }));
    expect(res).toMatchObject({ status: 200, json: { type: 'alert.created' } });
  });

  it('fails with PAYLOAD_PARSED, saying to use express.raw(), behind an app-wide express.json()', async () => {
    const url = await listen(createServer(app((a) => a.use(express.json()), webhookMiddleware(secret))));
    const res = await post(url, body, createTestHeaders(secret, body, { event: 'alert.created' }));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('PAYLOAD_PARSED');
    expect(res.json.error).toContain("express.raw({ type: 'application/json' })");
  });

  it('still reads the stream when a parser set req.body without reading it (Express 4 json() on another content type)', async () => {
    const express4Json = (req: express.Request, _res: express.Response, next: express.NextFunction) => {
      req.body = {};
      next();
    };
    const url = await listen(createServer(app((a) => a.use(express4Json), webhookMiddleware(secret))));
    const res = await post(url, body, createTestHeaders(secret, body, { event: 'alert.created' }));
    expect(res).toMatchObject({ status: 200, json: { type: 'alert.created' } });
  });

  it('fails with BODY_ALREADY_READ when an earlier middleware drained the body and kept nothing', async () => {
    const drain = (req: express.Request, _res: express.Response, next: express.NextFunction) => {
      req.resume();
      req.on('end', () => next());
    };
    const url = await listen(createServer(app((a) => a.use(drain), webhookMiddleware(secret))));
    const res = await post(url, body, createTestHeaders(secret, body, { event: 'alert.created' }));
    expect(res).toMatchObject({ status: 400, json: { code: 'BODY_ALREADY_READ' } });
  });

  it('answers 413 for a body over the limit, declared or streamed, and keeps serving', async () => {
    const url = await listen(createServer(app(() => {}, webhookMiddleware(secret, { limit: 64 }))));
    const big = JSON.stringify({ type: 'alert.created', pad: 'x'.repeat(100) });
    const headers = createTestHeaders(secret, big, { event: 'alert.created' });
    expect(await post(url, big, headers)).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big.slice(0, 50)));
        controller.enqueue(new TextEncoder().encode(big.slice(50)));
        controller.close();
      },
    });
    expect(await post(url, streamed, headers)).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
    const small = '{"type":"alert.created"}';
    expect(await post(url, small, createTestHeaders(secret, small, { event: 'alert.created' }))).toMatchObject({ status: 200 });
  });

  it('verifies a body that arrives in several chunks', async () => {
    const url = await listen(createServer(app(() => {}, webhookMiddleware(secret))));
    const bytes = new TextEncoder().encode(body);
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    expect(await post(url, streamed, createTestHeaders(secret, body, { event: 'alert.created' }))).toMatchObject({ status: 200, json: { type: 'alert.created' } });
  });

  it("verifies the legacy scheme under the seed's header names, and several secrets", async () => {
    const url = await listen(createServer(app(() => {}, webhookMiddleware([`whsec_${randomBytes(32).toString('base64')}`, secret], { scheme: 'legacy' }))));
    const signed = createTestHeaders(secret, body, { event: 'alert.created' });
    const res = await post(url, body, { 'X-LoveRescue-Signature': signed['x-careos-signature'], 'X-LoveRescue-Timestamp': signed['x-careos-timestamp'], 'X-LoveRescue-Event': 'alert.created' });
    expect(res).toMatchObject({ status: 200, json: { type: 'alert.created', scheme: 'legacy' } });
    expect(res.json).not.toHaveProperty('id'); // the legacy scheme has no message id
  });

  it('refuses a missing or mangled secret when created, so the app fails at startup', () => {
    expect(() => webhookMiddleware(process.env.CAREOS_WEBHOOK_SECRET_THAT_IS_NOT_SET as string)).toThrow(/CAREOS_WEBHOOK_SECRET/);
    expect(() => webhookMiddleware(`${secret}\n`)).toThrow(expect.objectContaining({ code: 'SECRET_WHITESPACE' }));
    expect(() => webhookMiddleware([secret, 'v1,abc'])).toThrow(expect.objectContaining({ code: 'SECRET_HAS_V1_PREFIX' }));
  });

  it('works as plain connect-style middleware on a bare node:http server', async () => {
    const verify = webhookMiddleware(secret);
    const url = await listen(
      createServer((req, res) =>
        verify(req, res, (error) => {
          res.statusCode = error ? 500 : 200;
          res.end(JSON.stringify({ type: (req as { webhook?: { type?: string } }).webhook?.type }));
        }),
      ),
    );
    expect(await post(url, body, createTestHeaders(secret, body, { event: 'alert.created' }))).toMatchObject({ status: 200, json: { type: 'alert.created' } });
    expect(await post(url, `${body} `, createTestHeaders(secret, body, { event: 'alert.created' }))).toMatchObject({ status: 400, json: { code: 'NO_MATCHING_SIGNATURE' } });
  });
});
