#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from './config/load-config.js';
import { parseSeedSpec, type SeedSpec } from './seed-spec.js';
import { DEMO_CREDENTIALS_FILE, startServer } from './server.js';

const USAGE = `Usage: careos-server [options]

  --port <n>            Port to listen on (default 8000)
  --host <addr>         Interface to bind (default 127.0.0.1)
  --data-dir <dir>      PGlite data directory (default .careos/data)
  --memory              Keep the database in memory
  --database-url <url>  Use PostgreSQL instead of PGlite (default: DATABASE_URL)
  --seed <what>         demo: load the demo data, offer the sandbox calendar, and write
                        <data-dir>/${DEMO_CREDENTIALS_FILE};
                        lookup-scale=<N>: generate N lookup cases (benchmarks);
                        comma-separate or repeat to combine: --seed demo,lookup-scale=100000
  --log-level <level>   fatal, error, warn, info, debug, trace or silent
  -h, --help            Show this help

Configuration comes from the environment; see the package README.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        'database-url': { type: 'string' },
        seed: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535\n`);
    process.exit(2);
  }
  let seed: SeedSpec | undefined;
  if (values.seed !== undefined) {
    try {
      seed = parseSeedSpec(values.seed);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    }
  }
  try {
    await startServer({
      port,
      ...(values.host ? { host: values.host } : {}),
      dataDir: values.memory ? null : (values['data-dir'] ?? '.careos/data'),
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
      ...(seed ? { seed } : {}),
      ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
      handleSignals: true,
    });
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}

void main();
