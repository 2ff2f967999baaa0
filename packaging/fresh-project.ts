// A fresh npm project outside the workspace that installs the packed tarballs, as a user's
// project would: npm, not pnpm, and nothing from the workspace's node_modules.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The environment for commands in the fresh project: this Node first on PATH (the bins start
 * with `#!/usr/bin/env node`), and none of the `npm_*` variables a pnpm script sets, which would
 * otherwise configure the npm install below (registry, linker, lifecycle).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));
  return { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
}

/** Runs a command in `cwd`; the result carries stdout and stderr as text. */
export function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 170_000 });
}

/** Throws with the output when a command failed. */
export function mustRun(cwd: string, command: string, args: string[]): string {
  const result = run(cwd, command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Creates the project from the consumer files in `template`. */
export function createProject(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'careos-consumer-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/**
 * `npm install` of tarball files. Our packages come only from the tarballs (their ranges on each
 * other resolve to the tarballs given together); third-party packages from npm's cache when it
 * has them, else the registry. Install scripts do not run: no dependency needs one (native
 * modules ship prebuilt), and a user's npm 11 would not run them either.
 */
export function npmInstall(project: string, files: string[]): void {
  mustRun(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...files]);
}

/** Bytes of every file under `dir` (symbolic links counted as links, not followed). */
export function installedBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += lstatSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}
