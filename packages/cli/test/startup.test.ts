import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from './helpers/cli.js';

const TRACE_HOOK = fileURLToPath(new URL('./helpers/module-trace.mjs', import.meta.url));
const NOUNS = ['audit', 'auth', 'demo', 'integration', 'keys', 'lead', 'lookup', 'payments', 'server', 'webhooks'];

/** The modules `careos ...args` loads, as file URLs (Node's built-ins left out). */
function modulesLoaded(args: readonly string[]): Promise<string[]> {
  const trace = join(tempDir(), 'modules.txt');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', TRACE_HOOK, CLI_BIN, ...args], { env: { PATH: process.env.PATH ?? '', CAREOS_MODULE_TRACE: trace, NO_COLOR: '1' } }, (error) => {
      if (error) return reject(error);
      resolve(readFileSync(trace, 'utf8').split('\n').filter((url) => url.startsWith('file:')));
    });
  });
}

/** The CLI's own chunks and the packages, by name, a list of module URLs holds. */
function summarise(urls: readonly string[]): { chunks: string[]; packages: string[] } {
  const packages = new Set(urls.flatMap((url) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  return { chunks: urls.filter((url) => url.includes('/cli/dist/')), packages: [...packages] };
}

// Start-up time is the bench's business (`pnpm bench --only cli-startup`); these tests pin what
// makes it short: which code each kind of invocation loads.
describe('careos start-up loads only what the command needs', () => {
  it.each([['--version'], ['--help'], ['help']])('careos %s loads commander and no command: no SDK, schemas, chalk or prompts', async (arg) => {
    const { chunks, packages } = summarise(await modulesLoaded([arg]));
    expect(packages).toEqual(['commander']);
    const code = chunks.map((url) => readFileSync(fileURLToPath(url), 'utf8')).join('\n');
    expect(code).not.toMatch(/\bundici\b|\bZodError\b|libphonenumber/);
    expect(code).not.toContain('careos lead send'); // no command file
  });

  it('careos lead send loads the lead command, the SDK bundled in, and neither the prompts nor the server', async () => {
    const { packages } = summarise(await modulesLoaded(['lead', 'send', '--help']));
    expect(packages.sort()).toEqual(['chalk', 'commander']);
  });

  it('careos --help lists every command of the manifest, and each one loads and answers --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const noun of NOUNS) expect(help.stdout).toMatch(new RegExp(`^  ${noun}\\b`, 'm'));
    for (const noun of NOUNS) {
      const result = await runCli([noun, '--help']);
      expect(result.code, noun).toBe(0);
      expect(result.stdout).toContain(`Usage: careos ${noun}`);
    }
  });

  it('careos help <noun> and an unknown command behave as before', async () => {
    const help = await runCli(['help', 'keys']);
    expect(help.stdout).toContain('generate');
    const unknown = await runCli(['laed', 'send']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'laed'");
    expect(unknown.stderr).toContain('lead');
  });
});
