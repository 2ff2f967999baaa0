// The installed reference server: starts on an in-memory database (its migrations come from the
// tarball's drizzle/ folder), and the installed SDK reads its health.
import assert from 'node:assert/strict';
import CareOS from '@careos/sdk';
import { startServer } from '@careos/server-reference';

const server = await startServer({ port: 0, dataDir: 'memory', logger: false, env: {} });
try {
  const client = new CareOS({ apiKey: 'key', platform: 'businessos', baseURL: server.url, maxRetries: 0 });
  const health = await client.health.check();
  assert.equal(health.database, 'ok');
  await client.close();
} finally {
  await server.close();
}
console.log('server consumer ok');
