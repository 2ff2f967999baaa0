import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from './helpers/cli.js';

const TRACE_HOOK = fileURLToPath(new URL('./helpers/module-trace.mjs', import.meta.url));
const NOUNS = ['alerts', 'audit', 'auth', 'demo', 'integration', 'inventory', 'keys', 'lead', 'lookup', 'payments', 'server', 'webhooks'];

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

  it.each(NOUNS.map((noun) => [noun]))('careos %s --help loads that command’s declarations only: no SDK, schemas, prompts or server', async (noun) => {
    const { chunks, packages } = summarise(await modulesLoaded([noun, '--help']));
    expect(packages.filter((name) => name !== 'chalk')).toEqual(['commander']);
    const code = chunks.map((url) => readFileSync(fileURLToPath(url), 'utf8')).join('\n');
    expect(code).not.toMatch(/\bundici\b|\bZodError\b|libphonenumber|sdk-node\/src\/client\.ts/);
  });

  it('careos lead send --dry-run loads the lead schema and phone handling, not the HTTP client', async () => {
    const dir = tempDir();
    const publicKey = join(dir, 'public.pem');
    writeFileSync(publicKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const flags = ['--platform', 'businessos', '--public-key', publicKey, '--salt', 's', '--phone', '+14155550123', '--category', 'healthcare', '--message', 'm', '--consent', '--value', '15'];
    const { chunks } = summarise(await modulesLoaded(['lead', 'send', '--dry-run', '--conversation-id', 'c-1', ...flags]));
    const code = chunks.map((url) => readFileSync(fileURLToPath(url), 'utf8')).join('\n');
    expect(code).toMatch(/\bZodError\b/);
    expect(code).toMatch(/libphonenumber/);
    // Neither the client nor undici, nor the route table (every other route's schemas).
    expect(code).not.toMatch(/\bundici\b|sdk-node\/src\/client\.ts|contract\/src\/routes\.ts/);
    expect(chunks.filter((url) => /\/(bulk-leads|lead-journal|clients)-/.test(url))).toEqual([]);
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
