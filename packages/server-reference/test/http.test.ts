import { gzipSync } from 'node:zlib';
import { ErrorEnvelope, routeList, fillPath, type RouteSpec } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();

describe.each(backendNames())('HTTP behaviour (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let small: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    small = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_BODY_LIMIT: '2kb' } }) });
  });
  afterAll(async () => {
    await server?.close();
    await small?.close();
    await backend?.dispose();
  });

  const ingestRaw = (target: TestApp, raw: string | Buffer, headers: Record<string, string>) =>
    call(target.url, 'POST', '/api/leads/ingest', { raw, headers: partnerHeaders(undefined, headers) });

  const expectEnvelope = (body: unknown, status: number, error: string, code: string) => {
    expect(ErrorEnvelope.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ error, code });
    expect(status).toBeGreaterThanOrEqual(400);
  };

  it('refuses a body over the limit with 413 (100kb by default, configurable)', async () => {
    const huge = JSON.stringify(leadBody({ keys }, { original_message: 'x'.repeat(110 * 1024) }));
    const res = await ingestRaw(server, huge, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expectEnvelope(res.body, res.status, 'Request body too large', 'PAYLOAD_TOO_LARGE');
    const medium = JSON.stringify(leadBody({ keys }, { original_message: 'x'.repeat(3000) }));
    expect((await ingestRaw(small, medium, { 'content-type': 'application/json' })).status).toBe(413);
    expect((await ingestRaw(server, medium, { 'content-type': 'application/json' })).status).toBe(200);
  });

  it('counts the limit after decompression', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ original_message: 'x'.repeat(200 * 1024) })));
    expect(bomb.length).toBeLessThan(2048);
    const res = await ingestRaw(server, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('answers malformed JSON with 400 "Malformed JSON body"', async () => {
    const res = await ingestRaw(server, '{"source_platform": "businessos",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, res.status, 'Malformed JSON body', 'VALIDATION_FAILED');
  });

  it('answers a non-JSON body with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await ingestRaw(server, 'source_platform=businessos', { 'content-type': type });
      expect(res.status).toBe(415);
      expectEnvelope(res.body, res.status, 'Content-Type must be application/json', 'UNSUPPORTED_MEDIA_TYPE');
    }
    const untyped = await call(server.url, 'POST', '/api/leads/ingest', { raw: '{}', headers: partnerHeaders() });
    expect(untyped.status).toBe(415);
  });

  it('accepts application/*+json and a charset parameter', async () => {
    const res = await ingestRaw(server, JSON.stringify(leadBody({ keys })), { 'content-type': 'application/vnd.api+json; charset=utf-8' });
    expect(res.status).toBe(200);
  });

  it('refuses JSON that is not an object, nests too deeply or holds NUL characters', async () => {
    const array = await ingestRaw(server, '[1,2,3]', { 'content-type': 'application/json' });
    expect(array.status).toBe(400);
    expect(array.body.error).toBe('Invalid request body');
    const deep = await ingestRaw(server, `${'['.repeat(5000)}${']'.repeat(5000)}`, { 'content-type': 'application/json' });
    expect(deep.status).toBe(400);
    const nul = await ingestRaw(server, JSON.stringify(leadBody({ keys }, { user_name: 'A\u0000B' })), { 'content-type': 'application/json' });
    expect(nul.status).toBe(400);
    expect(nul.body.message).toMatch(/NUL/);
    const surrogate = await ingestRaw(server, '{"user_name":"\\ud800"}', { 'content-type': 'application/json' });
    expect(surrogate.status).toBe(400);
  });

  it('answers an unknown route with a 404 envelope', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/api/leads'], ['DELETE', '/api/leads/ingest']] as const) {
      const res = await call(server.url, method, path);
      expect(res.status).toBe(404);
      expectEnvelope(res.body, res.status, 'Route not found', 'NOT_FOUND');
      expect(res.body.request_id).toBe(res.headers['x-request-id']);
    }
  });

  it('echoes a sane X-Request-Id and replaces anything else', async () => {
    const echoed = await call(server.url, 'GET', '/health', { headers: { 'x-request-id': 'trace-abc_123:4' } });
    expect(echoed.headers['x-request-id']).toBe('trace-abc_123:4');
    const replaced = await call(server.url, 'GET', '/health', { headers: { 'x-request-id': 'has spaces and <tags>' } });
    expect(replaced.headers['x-request-id']).toMatch(/^req_[0-9a-z]{26}$/);
    const missing = await call(server.url, 'GET', '/nope');
    expect(missing.headers['x-request-id']).toMatch(/^req_[0-9a-z]{26}$/);
  });

  it('answers an undecodable path parameter with 400', async () => {
    const res = await call(server.url, 'GET', '/api/leads/%E0%A4%A', { headers: partnerHeaders() });
    expect(res.status).toBe(400);
    expect(ErrorEnvelope.safeParse(res.body).success).toBe(true);
  });

  it('serves the OpenAPI document for this server', async () => {
    const res = await call(server.url, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers[0].url).toBe(server.url);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/leads/ingest', '/api/leads/{leadId}', '/health']));
  });

  it('reports health, and 503 when the database is gone', async () => {
    const ok = await call(server.url, 'GET', '/health');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', database: 'ok', version: expect.any(String) });
    const lonely = await openDatabase({});
    const orphan = await startApp({ db: lonely, env: testEnv({ keys }) });
    try {
      await lonely.close();
      const down = await call(orphan.url, 'GET', '/health');
      expect(down.status).toBe(503);
      expectEnvelope(down.body, down.status, 'Service unavailable', 'SERVICE_UNAVAILABLE');
    } finally {
      await orphan.close().catch(() => undefined);
    }
  });

  it('binds every route of the contract table', async () => {
    for (const route of routeList as readonly RouteSpec[]) {
      // Every path parameter gets a well-formed id that names nothing, except the known platform.
      const ids = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, name === 'platform' ? 'businessos' : `${name}_x`]));
      const path = fillPath(route.path, ids);
      const res = await call(server.url, route.method, path, route.method === 'POST' ? { json: {} } : {});
      expect(res.body.error, `${route.method} ${route.path}`).not.toBe('Route not found');
      expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
    }
  });
});
