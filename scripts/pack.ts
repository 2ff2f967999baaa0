// Packs every publishable package of the workspace into one folder, as `pnpm publish` would
// (pnpm rewrites `workspace:` ranges into the versions being published). Used by the release
// dry run and the packaging tests; run the build first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..');

/** One packed package. */
export interface Tarball {
  /** Package name, e.g. `@careos/sdk`. */
  name: string;
  version: string;
  /** The package's folder in the workspace. */
  dir: string;
  /** Absolute path of the `.tgz`. */
  file: string;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

/** The pnpm the repository pins (`packageManager`), run through npx as the README's commands do. */
export function pnpmCommand(): string[] {
  const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string }).packageManager;
  return ['npx', '-y', pinned];
}

/** The workspace packages that publish (every `packages/*` that is not private). */
export function publishablePackages(): { name: string; version: string; dir: string }[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((dir) => join(ROOT, 'packages', dir))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir }));
}

/** The file name pnpm and npm give a package's tarball: `@careos/sdk@0.1.0` → `careos-sdk-0.1.0.tgz`. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/** Packs every publishable package into `destination` and returns the tarballs. */
export function packAll(destination: string): Tarball[] {
  const [command, ...args] = pnpmCommand();
  const result = spawnSync(command!, [...args, '-r', '--filter', './packages/*', 'pack', '--pack-destination', destination], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`pnpm pack failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return publishablePackages().map(({ name, version, dir }) => {
    const file = join(destination, tarballName(name, version));
    if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${file}:\n${result.stdout}`);
    return { name, version, dir, file };
  });
}
