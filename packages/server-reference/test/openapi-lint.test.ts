// Redocly lint of the document this server serves at /openapi.json, with the repository's
// redocly.yaml: no error, no warning. And the document promises only what the server has.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeList, type OpenApiDocument, type RouteSpec } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';

const root = join(import.meta.dirname, '..', '..', '..');
const redocly = join(root, 'node_modules', '.bin', 'redocly');

describe('/openapi.json', () => {
  let db: Database;
  let server: TestApp;
  let doc: OpenApiDocument;
  let scratch: string;

  beforeAll(async () => {
    db = await openDatabase({});
    server = await startApp({ db, env: testEnv({ keys: generateTestKeys() }) });
    doc = (await call(server.url, 'GET', '/openapi.json')).body as OpenApiDocument;
    scratch = mkdtempSync(join(tmpdir(), 'careos-openapi-'));
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('passes Redocly lint with no error and no warning', () => {
    const file = join(scratch, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const result = spawnSync(redocly, ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'stylish'], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/Woohoo! Your API description is valid/);
    expect(output).not.toMatch(/\b(error|warning)\b\s+\S/);
    expect(result.status, output).toBe(0);
  });

  it('names this server as its only server', () => {
    expect(doc.servers).toEqual([{ url: server.url, description: 'CareOS' }]);
  });

  it('describes exactly the routes of the table (each one bound: see http.test.ts) and uses every security scheme it defines', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual((routeList as readonly RouteSpec[]).map((r) => `${r.method} ${r.path}`).sort());
    const used = new Set(
      Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => (op as { security: Record<string, string[]>[] }).security.flatMap(Object.keys))),
    );
    expect([...used].sort()).toEqual(Object.keys(doc.components.securitySchemes).sort());
  });

  it('leaves out a 4xx response only where no request can earn one (the exception redocly.yaml makes)', () => {
    const without4xx = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !Object.keys((op as { responses: object }).responses).some((status) => status.startsWith('4')))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(without4xx.sort()).toEqual(['GET /api/keys/public', 'GET /health', 'GET /health/ready']);
  });
});
