// A bare embedded PGlite (in CAREOS_BENCH_DATA_DIR, else in memory), opened the way the reference server opens its own (in a
// worker thread), with one query run: the floor under the server's memory.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const serverPackage = createRequire(import.meta.resolve('@careos/server-reference'));
const pglite = serverPackage.resolve('@electric-sql/pglite');
const source = `
  const { parentPort } = require('node:worker_threads');
  import(${JSON.stringify(pglite)}).then(async ({ PGlite }) => {
    const db = await PGlite.create(${JSON.stringify(process.env.CAREOS_BENCH_DATA_DIR ? { dataDir: process.env.CAREOS_BENCH_DATA_DIR } : {})});
    await db.query('select 1');
    parentPort.postMessage('ready');
    setInterval(() => db, 1 << 30); // keeps the database (and its memory) alive until terminated
  });
`;
const worker = new Worker(source, { eval: true });
await new Promise((resolve) => worker.once('message', resolve));
console.log('LISTENING none');
process.on('SIGTERM', () => void worker.terminate().then(() => process.exit(0)));
