import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildOpenApi, routes } from '@careos/contract';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestContext } from '../src/http/context.js';
import { contractCheck, contractProblem, CONTRACT_VIOLATION } from '../src/http/contract-check.js';
import { requestContextMiddleware } from '../src/http/request-context.js';
import { createLogger } from '../src/logging/logger.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
const openApi = buildOpenApi();
const documented = (path: string, method: string, status: number) => Object.keys((openApi.paths[path]![method] as { responses: object }).responses).includes(String(status));

describe('answers that used to be undocumented', () => {
  let backend: TestBackend;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend('pglite');
    server = await startApp({ db: await backend.open(), env: testEnv({ keys }) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('refuses an over-long or badly escaped id with a 400 the route documents', async () => {
    for (const id of ['a'.repeat(129), '%E0%A4%A', '%ZZ']) {
      const res = await call(server.url, 'GET', `/api/leads/${id}`, { headers: partnerHeaders() });
      expect([res.status, res.body.error, res.body.code], id).toEqual([400, 'Invalid path parameters', 'VALIDATION_FAILED']);
    }
    expect(documented('/api/leads/{leadId}', 'get', 400)).toBe(true);
  });

  it('says what a limit must be instead of "Required"', async () => {
    for (const limit of ['abc', '0', '501', '1.5']) {
      const res = await call(server.url, 'GET', `/api/partner/payments?limit=${limit}`, { headers: partnerHeaders() });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'Invalid query parameters', message: 'limit: Must be an integer from 1 to 500', details: [{ path: 'limit', message: 'Must be an integer from 1 to 500' }] });
    }
  });

  it('documents the 415 and 413 of every route with a body, the login included', async () => {
    const res = await call(server.url, 'POST', '/auth/login', { raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect([res.status, res.body.error]).toEqual([415, 'Content-Type must be application/json']);
    expect([documented('/auth/login', 'post', 415), documented('/auth/login', 'post', 413)]).toEqual([true, true]);
  });

  it('checks the 404 of an unknown path and the errors of middleware without objection', async () => {
    expect((await call(server.url, 'GET', '/no/such/route')).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/leads/lead_x')).status).toBe(401);
    expect(server.logs.filter((line) => line.includes(CONTRACT_VIOLATION))).toEqual([]);
  });
});

describe('the response check', () => {
  it('names an undocumented status and a body that does not match', () => {
    expect(contractProblem(routes.retrieveLead, '/api/leads/x', 418, { error: 'x', request_id: 'r' })).toMatch(/retrieveLead .* answered 418, which is not documented/);
    expect(contractProblem(routes.health, '/health', 200, { status: 42 })).toMatch(/does not match its schema at status/);
    expect(contractProblem(routes.retrieveLead, '/api/leads/x', 404, { error: 'Not found' })).toMatch(/request_id/);
    expect(contractProblem(null, '/nowhere', 404, { error: 'Route not found', request_id: 'r' })).toBeNull();
    expect(contractProblem(null, '/nowhere', 400, { error: 'Invalid path parameters', request_id: 'r' })).toMatch(/not documented/);
    expect(contractProblem(null, '/api/leads/%ZZ', 400, { error: 'Invalid path parameters', request_id: 'r' })).toBeNull();
  });

  it('turns an undocumented answer into a 500 and logs it as a contract violation', async () => {
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
    const app = express();
    app.use(requestContextMiddleware(logger), contractCheck(logger));
    app.get('/api/leads/:leadId', (_req, res) => {
      requestContext(res).route = routes.retrieveLead;
      res.status(409).json({ error: 'Conflict', request_id: 'r' });
    });
    app.get('/api/keys/public', (_req, res) => void res.type('text').send('not json'));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await call(url, 'GET', '/api/leads/lead_1');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ error: 'Internal server error', code: 'INTERNAL_ERROR', message: expect.stringContaining('answered 409, which is not documented') });
      await call(url, 'GET', '/api/keys/public');
      const violations = logs.filter((line) => line.includes(CONTRACT_VIOLATION)).map((line) => JSON.parse(line));
      expect(violations.map((v) => [v.level, v.route, v.status])).toEqual([
        [50, 'retrieveLead', 409],
        [50, 'unmatched', 200],
      ]);
    } finally {
      server.close();
    }
  });
});
