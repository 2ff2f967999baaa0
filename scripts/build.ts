// Builds every package under packages/ in dependency order, running each one's own `build`
// script with the workspace's tools. The root scripts use this instead of `pnpm -r build` so
// that no script starts a second pnpm: a nested pnpm re-resolves the pinned package manager
// from the registry, and where the registry lacks one of its platform binaries that fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const root = join(import.meta.dirname, '..');
const bin = join(root, 'node_modules', '.bin');
const packages = readdirSync(join(root, 'packages')).map((dir) => {
  const path = join(root, 'packages', dir);
  return { path, manifest: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest };
});
const byName = new Map(packages.map((p) => [p.manifest.name, p]));

// Dependencies between packages order the build, dev dependencies included: the CLI bundles the
// SDK, contract and verifier (dev dependencies of it) into its own dist, so they build first.
const order: typeof packages = [];
const visiting = new Set<string>();
const visit = (name: string) => {
  const pkg = byName.get(name);
  if (!pkg || order.includes(pkg)) return;
  if (visiting.has(name)) throw new Error(`dependency cycle through ${name}`);
  visiting.add(name);
  for (const dep of [...Object.keys(pkg.manifest.dependencies ?? {}), ...Object.keys(pkg.manifest.devDependencies ?? {})]) visit(dep);
  visiting.delete(name);
  order.push(pkg);
};
for (const name of [...byName.keys()].sort()) visit(name);

for (const { path, manifest } of order) {
  const script = manifest.scripts?.build;
  if (!script) continue;
  console.log(`build ${manifest.name}: ${script}`);
  const result = spawnSync(script, {
    cwd: path,
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${join(path, 'node_modules', '.bin')}:${bin}:${process.env.PATH ?? ''}` },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
