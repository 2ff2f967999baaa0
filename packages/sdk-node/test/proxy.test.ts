import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CareOS } from '../src/index.js';
import { fastRetries } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const health = { status: 'ok', version: '1', database: 'ok', uptime_seconds: 1 };

/** A forward proxy that counts what passes through it: absolute-form requests and CONNECT tunnels. */
async function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...req.headers, 'x-via-test-proxy': '1' } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let target: TestServer | undefined;
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
let client: CareOS | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  await client?.close();
  await target?.close();
  if (proxy) {
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy?.server.close(resolve));
  }
  client = target = proxy = undefined;
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe('proxy environment', () => {
  it('sends requests through HTTP_PROXY', async () => {
    target = await startServer((_req, res) => json(res, 200, health));
    proxy = await startProxy();
    client = new CareOS({ ...fastRetries, baseURL: target.url, env: { HTTP_PROXY: proxy.url } });
    await expect(client.health.check()).resolves.toEqual(health);
    await client.health.check();
    expect(proxy.seen).toEqual([`GET ${target.url}/health`, `GET ${target.url}/health`]);
    expect(target.requests[0]?.headers['x-via-test-proxy']).toBe('1');
  });

  it('reads lower-case http_proxy from process.env when no env is injected', async () => {
    target = await startServer((_req, res) => json(res, 200, health));
    proxy = await startProxy();
    process.env.http_proxy = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    client = new CareOS({ ...fastRetries, env: undefined, baseURL: target.url });
    await client.health.check();
    expect(proxy.seen).toHaveLength(1);
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    target = await startServer((_req, res) => json(res, 200, health));
    proxy = await startProxy();
    client = new CareOS({ ...fastRetries, baseURL: target.url, env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    await client.health.check();
    expect(proxy.seen).toHaveLength(0);
    expect(target.requests).toHaveLength(1);
  });

  it('connects directly when no proxy variable is set', async () => {
    target = await startServer((_req, res) => json(res, 200, health));
    proxy = await startProxy();
    client = new CareOS({ ...fastRetries, baseURL: target.url, env: {} });
    await client.health.check();
    expect(proxy.seen).toHaveLength(0);
    expect(target.requests[0]?.headers['x-via-test-proxy']).toBeUndefined();
  });
});
