import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The built binary: CLI tests exercise exactly what users run. */
export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Result of one `careos` run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const madeByThisFile: string[] = [];

/**
 * A fresh temporary directory, removed with everything in it once the test file has finished —
 * and with the master key file a server writes beside it when it serves as a data directory.
 */
export function tempDir(prefix = 'careos-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeByThisFile.push(dir);
  return dir;
}

// Registered when a test file imports this module (each file gets its own copy of it), on the
// file's outermost suite, so it runs after the file's own hooks have stopped the servers
// writing there. Left behind, every run of the suite added a few hundred directories to the
// OS temp dir, embedded databases of tens of MB among them.
afterAll(() => {
  for (const dir of madeByThisFile.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      // masterKeyFileFor's rule, spelt here: importing the server package into every CLI test costs more.
      rmSync(`${dir}.master.key`, { force: true });
    } catch {
      // A process still writing there: the OS cleans its temp dir eventually; the tests passed.
    }
  }
});

/**
 * Runs `node dist/bin.js ...args` (or another copy of the binary, or the file itself through its
 * shebang) with a clean environment: only PATH, HOME and an isolated
 * config dir are inherited, so the developer's own CAREOS_* variables never leak into a test.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string; bin?: string; viaShebang?: boolean } = {},
): Promise<CliResult> {
  const env = {
    // The shebang finds `node` on PATH: make it the Node running the tests.
    PATH: options.viaShebang ? `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` : (process.env.PATH ?? ''),
    HOME: process.env.HOME ?? tmpdir(),
    CAREOS_CONFIG_DIR: tempDir('careos-config-'),
    NO_COLOR: '1',
    ...options.env,
  };
  return new Promise((resolve) => {
    // viaShebang: the file itself is executed, as an installed `careos` is (`#!/usr/bin/env node`).
    const bin = options.bin ?? CLI_BIN;
    const [file, argv] = options.viaShebang ? [bin, [...args]] : [process.execPath, [bin, ...args]];
    const child = execFile(file, argv, { env, cwd: options.cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : error ? 1 : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
