import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compare, figure, section } from './lib/report.ts';

const CLI_BIN = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));

/** Wall time of one process from spawn to exit, ms; throws when it does not exit 0. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return elapsed;
}

/**
 * Runs each variant `rounds` times, interleaved (A B C, B C A, …) so that machine noise lands on
 * every variant alike, after one unmeasured run each (which also fills Node's compile cache, as
 * any run after the first finds it). Returns each variant's median, ms.
 */
function interleavedRuns<K extends string>(variants: Record<K, readonly string[]>, rounds: number, env: NodeJS.ProcessEnv): Record<K, number> {
  const names = Object.keys(variants) as K[];
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) timeProcess(variants[name], env);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      times.get(name)!.push(timeProcess(variants[name], env));
    }
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  return Object.fromEntries(names.map((name) => [name, median(times.get(name)!)])) as Record<K, number>;
}

/**
 * (issue 10) Start-up of `careos` against a bare `node -e 0`: `--version` and `--help` (goal ≤ 3x),
 * a command's own help, `careos lead --help` and `careos keys --help` (goal ≤ 3x: the command's
 * declarations, none of its implementation), and an API command up to its first request (goal
 * ≤ 5x): `careos lead send --dry-run` with every setting on the command line loads the SDK's
 * request builder and the lead's schema, resolves the settings, validates and encrypts the lead
 * and prints the request it would send, without a network round trip that would measure the
 * server instead. `careos lead send --help` is printed beside it.
 */
export async function benchCliStartup(options: { quick?: boolean }): Promise<boolean[]> {
  section('CLI start-up: careos vs node -e 0');
  const dir = mkdtempSync(join(tmpdir(), 'careos-bench-cli-'));
  try {
    const publicKey = join(dir, 'public.pem');
    writeFileSync(publicKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    // No stored profile and no CAREOS_* variables from the shell: every setting is a flag.
    const env = { PATH: process.env.PATH ?? '', HOME: dir, CAREOS_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1', CAREOS_CREDENTIAL_STORE: 'file' };
    const apiCommand = [
      ...['lead', 'send', '--dry-run', '--api-url', 'http://127.0.0.1:9', '--api-key', 'businessos_test_bench', '--platform', 'businessos'],
      ...['--public-key', publicKey, '--salt', 'bench-salt', '--phone', '+14155550123', '--name', 'Ada', '--country', 'US'],
      ...['--category', 'healthcare', '--message', 'I need a caregiver for my mom', '--consent', '--value', '15', '--conversation-id', 'bench-1'],
    ];
    const ms = interleavedRuns(
      {
        node: ['-e', '0'],
        version: [CLI_BIN, '--version'],
        help: [CLI_BIN, '--help'],
        leadHelp: [CLI_BIN, 'lead', '--help'],
        keysHelp: [CLI_BIN, 'keys', '--help'],
        verbHelp: [CLI_BIN, 'lead', 'send', '--help'],
        api: [CLI_BIN, ...apiCommand],
      },
      options.quick ? 7 : 21,
      env,
    );
    const baseline = { label: 'node -e 0', value: ms.node };
    const results = [
      compare({ name: 'careos --version', ours: { label: 'careos --version', value: ms.version }, baseline, unit: 'ms', goal: 3, lowerIsBetter: true }),
      compare({ name: 'careos --help', ours: { label: 'careos --help', value: ms.help }, baseline, unit: 'ms', goal: 3, lowerIsBetter: true }),
      compare({ name: 'careos lead --help', ours: { label: 'careos lead --help', value: ms.leadHelp }, baseline, unit: 'ms', goal: 3, lowerIsBetter: true }),
      compare({ name: 'careos keys --help', ours: { label: 'careos keys --help', value: ms.keysHelp }, baseline, unit: 'ms', goal: 3, lowerIsBetter: true }),
      compare({ name: 'API command start-up', ours: { label: 'careos lead send --dry-run', value: ms.api }, baseline, unit: 'ms', goal: 5, lowerIsBetter: true }),
    ];
    figure(`careos lead send --help (${(ms.verbHelp / ms.node).toFixed(2)}x node -e 0)`, ms.verbHelp, 'ms');
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
