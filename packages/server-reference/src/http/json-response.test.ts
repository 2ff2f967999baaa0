import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDirectJson } from './json-response.js';

/** The answers under test, each on its own path; the same routes run with and without the direct writer. */
function routes(app: express.Express): void {
  app.get('/body', (_req, res) => void res.status(201).json({ name: 'Zoë 😀', list: [1, null, 'x'.repeat(1500)] }));
  app.get('/null', (_req, res) => void res.json(null));
  app.get('/typed', (_req, res) => void res.type('application/problem+json').json({ title: 'typed' }));
  app.get('/empty', (_req, res) => void res.status(204).json({ ignored: true }));
  app.get('/undefined', (_req, res) => void res.json(undefined));
  // A wrapper in the way the contract check and idempotency wrap res.json: it must see the body.
  app.get('/wrapped', (_req: Request, res: Response, next: NextFunction) => {
    const send = res.json.bind(res);
    res.json = (body: unknown) => send({ wrapped: body });
    next();
  }, (_req, res) => void res.json({ inner: true }));
}

interface Served {
  server: Server;
  url: string;
  /** Calls of Express's `res.send`, the path the direct writer skips. */
  sends: { count: number };
}

async function serve(direct: boolean): Promise<Served> {
  const app = express();
  app.set('etag', false);
  const sends = { count: 0 };
  const send = app.response.send;
  app.response.send = function counted(this: Response, ...args: Parameters<Response['send']>) {
    sends.count += 1;
    return send.apply(this, args);
  };
  if (direct) useDirectJson(app);
  routes(app);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sends };
}

/** What a client sees of an answer: status, the headers JSON answers depend on, and the body bytes. */
async function answer(url: string, path: string, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(`${url}${path}`, { method });
  const body = await res.body.text();
  return { status: res.statusCode, type: res.headers['content-type'], length: res.headers['content-length'], body };
}

describe('useDirectJson', () => {
  let direct: Served;
  let plain: Served;

  beforeAll(async () => {
    [direct, plain] = await Promise.all([serve(true), serve(false)]);
  });
  afterAll(async () => {
    for (const { server } of [direct, plain]) await new Promise((resolve) => server.close(resolve));
  });

  it('answers JSON with the type, byte length and text Express would send', async () => {
    const before = direct.sends.count;
    const ours = await answer(direct.url, '/body');
    expect(direct.sends.count).toBe(before);
    expect(ours.type).toBe('application/json; charset=utf-8');
    // Characters outside ASCII take more bytes than string length: the length must count bytes.
    expect(Number(ours.length)).toBe(Buffer.byteLength(ours.body));
    expect(Number(ours.length)).toBeGreaterThan(ours.body.length);
    expect(JSON.parse(ours.body)).toEqual({ name: 'Zoë 😀', list: [1, null, 'x'.repeat(1500)] });
    expect(ours).toEqual(await answer(plain.url, '/body'));
    expect(await answer(direct.url, '/null')).toEqual(await answer(plain.url, '/null'));
  });

  it('leaves a chosen type, a 204 and an undefined body to Express', async () => {
    const before = direct.sends.count;
    for (const path of ['/typed', '/empty', '/undefined']) expect(await answer(direct.url, path)).toEqual(await answer(plain.url, path));
    expect(direct.sends.count).toBe(before + 3);
    expect((await answer(direct.url, '/typed')).type).toBe('application/problem+json; charset=utf-8');
    expect(await answer(direct.url, '/empty')).toMatchObject({ status: 204, body: '' });
  });

  it('sends no body to a HEAD request, with the length a GET would have', async () => {
    const head = await answer(direct.url, '/body', 'HEAD');
    expect(head.body).toBe('');
    expect(head.length).toBe((await answer(direct.url, '/body')).length);
  });

  it('is what a middleware wrapping res.json calls through', async () => {
    expect(JSON.parse((await answer(direct.url, '/wrapped')).body)).toEqual({ wrapped: { inner: true } });
  });
});
