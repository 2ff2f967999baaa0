import { ErrorEnvelope } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';

describe('/docs', () => {
  let db: Database;
  let server: TestApp;

  beforeAll(async () => {
    db = await openDatabase({});
    server = await startApp({ db, env: testEnv({ keys: generateTestKeys() }) });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('serves a page that renders /openapi.json with assets from this server only', async () => {
    const page = await call(server.url, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    // Every script and stylesheet is a local path: the page works with no internet access.
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/docs/')).toBe(true);
      const asset = await call(server.url, 'GET', source);
      expect(asset.status, source).toBe(200);
      expect(asset.text.length, source).toBeGreaterThan(10);
    }
    const init = await call(server.url, 'GET', '/docs/init.js');
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('serves only the assets the page uses, never other files of the package', async () => {
    for (const path of ['/docs/assets/package.json', '/docs/assets/index.html', '/docs/assets/..%2Fpackage.json', '/docs/assets/swagger-ui-bundle.js.map']) {
      const res = await call(server.url, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(ErrorEnvelope.safeParse(res.body).success, path).toBe(true);
    }
  });
});
