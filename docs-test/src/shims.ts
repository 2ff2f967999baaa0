import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (docs-test/src → ../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built CLI the `careos` shim runs. */
export const CLI_BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

/** The npm the shim hands everything but workspace installs to: the first one on PATH. */
function realNpm(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return 'npm';
}

/**
 * Writes the `careos` and `npm` shims into `dir`, which the harness puts first on PATH:
 * - `careos` runs the built CLI with the Node running the tests, gives `careos server start` the
 *   document's free port when the command names none, and `careos keys generate <p> test` the
 *   matching `--api-url` (the default it stands in for is http://127.0.0.1:8000);
 * - `npm install <pkg>` links workspace packages (`@careos/*`) and third-party packages the
 *   workspace already has into the project instead of fetching them; `npm install -g @careos/…`
 *   is a no-op (the `careos` shim is already on PATH and the built CLI finds the workspace's
 *   packages, the optional server included); every other npm command is the real npm.
 */
export function writeShims(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const node = process.execPath;
  const careos = `#!/usr/bin/env bash
# doc-test shim: the built CLI. A server started without --port gets the document's free port,
# and test keys generated without --api-url point partner.env at that port (as at 8000 for a reader).
if [ "$1" = server ] && [ "$2" = start ]; then
  case " $* " in *" --port"*) ;; *) set -- "$@" --port "$DOC_TEST_PORT" ;; esac
fi
if [ "$1" = keys ] && [ "$2" = generate ] && [ "$4" = test ]; then
  case " $* " in *" --api-url"*) ;; *) set -- "$@" --api-url "http://127.0.0.1:$DOC_TEST_PORT" ;; esac
fi
exec "${node}" "${CLI_BIN}" "$@"
`;
  writeFileSync(join(dir, 'careos'), careos, { mode: 0o755 });
  const npm = `#!/usr/bin/env bash
# doc-test shim: installs of workspace packages are links; everything else is the real npm.
exec "${node}" "${join(dir, 'npm-shim.mjs')}" "${realNpm()}" "$@"
`;
  writeFileSync(join(dir, 'npm'), npm, { mode: 0o755 });
  writeFileSync(join(dir, 'npm-shim.mjs'), NPM_SHIM.replace('__ROOT__', JSON.stringify(ROOT)));
}

const NPM_SHIM = `
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = __ROOT__;
const [realNpm, command, ...rest] = process.argv.slice(2);
const passThrough = () => {
  const r = spawnSync(realNpm, [command, ...rest].filter((a) => a !== undefined), { stdio: 'inherit' });
  process.exit(r.status ?? 1);
};
if (!['install', 'i', 'add'].includes(command)) passThrough();
const global = rest.some((a) => a === '-g' || a === '--global');
const specs = rest.filter((a) => !a.startsWith('-'));
if (specs.length === 0) passThrough();

const workspace = new Map();
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (existsSync(file)) workspace.set(JSON.parse(readFileSync(file, 'utf8')).name, join(root, 'packages', dir));
}
const store = join(root, 'node_modules', '.pnpm');
const resolvePkg = (name) => {
  if (workspace.has(name)) return workspace.get(name);
  const prefix = name.replace('/', '+') + '@';
  const hit = readdirSync(store).filter((d) => d.startsWith(prefix)).sort().pop();
  return hit ? join(store, hit, 'node_modules', name) : undefined;
};
const wanted = specs.map((spec) => {
  const name = spec.startsWith('@') ? '@' + spec.slice(1).split('@')[0] : spec.split('@')[0];
  return { name, dir: resolvePkg(name) };
});
if (wanted.some((w) => !w.dir)) passThrough();
if (global) {
  for (const w of wanted) if (!workspace.has(w.name)) passThrough();
  console.log('doc-test: careos is the built CLI already on PATH, and it finds the workspace packages');
  process.exit(0);
}
const pkgFile = join(process.cwd(), 'package.json');
const pkg = existsSync(pkgFile) ? JSON.parse(readFileSync(pkgFile, 'utf8')) : undefined;
for (const w of wanted) {
  const target = join(process.cwd(), 'node_modules', w.name);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  symlinkSync(w.dir, target, 'dir');
  if (pkg) pkg.dependencies = { ...pkg.dependencies, [w.name]: 'file:' + w.dir };
  console.log('doc-test: linked ' + w.name + ' -> ' + w.dir);
}
if (pkg) writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\\n');
`;
