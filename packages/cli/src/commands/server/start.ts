import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { olderEnvFileOption, readEnvFileOption } from '../../lib/env-file.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { loadServerPackage } from '../../lib/server-package.js';

interface Options {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  seed?: string[];
  env?: string;
  envFile?: string;
  logLevel?: string;
  json?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

const SEED_PART = /^(demo|lookup-scale=\d[\d_]*)$/;

/** `--seed` values, repeatable and comma-separated; the server checks the figures (see parseSeedSpec). */
function seed(value: string, previous: string[] = []): string[] {
  if (!value.split(',').every((part) => SEED_PART.test(part.trim()))) {
    throw new InvalidArgumentError('use demo, lookup-scale=<cases> or both, e.g. demo,lookup-scale=100000');
  }
  return [...previous, value];
}

/** `careos server start`: the reference server in the foreground until SIGTERM or Ctrl-C. */
export function register(program: Command): void {
  noun(program, 'server')
    .command('start')
    .description('Start the reference server (embedded PGlite by default, PostgreSQL with --database-url)')
    .option('--port <port>', 'port to listen on', port, 8000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'embedded database directory ("memory" for none)', '.careos/data')
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL); replaces the embedded database')
    .option('--seed <what>', 'demo: load demo data and write <data-dir>/demo-credentials.json; lookup-scale=<N>: generate N lookup cases (repeat or comma-separate to combine)', seed)
    .option('--env <file>', 'server settings from a .env file (e.g. careos.env from `careos keys generate`)')
    .addOption(olderEnvFileOption())
    .option('--log-level <level>', 'trace | debug | info | warn | error | silent')
    .option('--json', 'print the listening address (and demo credentials) as JSON on stdout; logs go to stderr')
    .action(async (options: Options) => {
      const out = createOutput({ json: options.json });
      // Same precedence as every command: flags, then --env, then the environment.
      const env = { ...process.env, ...readEnvFileOption(options) };
      // Loaded here, not at the top: the server (PGlite, Express, Drizzle) would add most of a
      // second to every other command's start.
      const { DEMO_CREDENTIALS_FILE, createLogger, startServer } = await loadServerPackage('careos server start');
      const server = await startServer({
        port: options.port,
        host: options.host,
        dataDir: options.dataDir,
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
        ...(options.seed ? { seed: options.seed.join(',') } : {}),
        // With --json, stdout carries exactly one JSON document; the server's logs go to stderr.
        ...(options.json
          ? { logger: createLogger({ level: options.logLevel ?? env.CAREOS_LOG_LEVEL ?? 'info', destination: process.stderr }) }
          : options.logLevel
            ? { logLevel: options.logLevel }
            : {}),
        env,
        handleSignals: true,
      });
      const embedded = !server.config.databaseUrl;
      const dataDir = embedded && options.dataDir !== 'memory' ? resolve(options.dataDir) : null;
      const credentialsFile = server.demoCredentials && dataDir ? join(dataDir, DEMO_CREDENTIALS_FILE) : null;
      out.data(
        {
          url: server.url,
          port: server.port,
          database: embedded ? 'pglite' : 'postgresql',
          data_dir: dataDir,
          demo_credentials_file: credentialsFile,
          demo_credentials: server.demoCredentials ?? null,
        },
        () =>
          [
            out.color.green(`CareOS reference server listening on ${server.url}`),
            keyValues(out.color, [
              ['Database', embedded ? `embedded PGlite (${dataDir ?? 'in memory'})` : 'PostgreSQL'],
              ['OpenAPI', `${server.url}/openapi.json`],
              ...(server.demoCredentials
                ? ([
                    ['Demo partner', `${server.demoCredentials.partner.platform} / ${server.demoCredentials.partner.apiKey}`],
                    ['Demo admin', `${server.demoCredentials.admin.email} / ${server.demoCredentials.admin.password}`],
                    ['Credentials file', credentialsFile ?? 'not written (in-memory database)'],
                  ] as const)
                : []),
            ]),
            out.color.dim('Ctrl-C or SIGTERM stops it gracefully.'),
          ].join('\n'),
      );
      // The server keeps the process alive; its signal handler closes it and exits.
    });
}
