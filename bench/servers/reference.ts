// The reference server on an embedded database (in memory, or in CAREOS_BENCH_DATA_DIR), configured
// from the parent's env.
import { startServer } from '@careos/server-reference';

const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: process.env.CAREOS_BENCH_DATA_DIR || 'memory', logger: false });
console.log(`LISTENING ${server.url}`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
