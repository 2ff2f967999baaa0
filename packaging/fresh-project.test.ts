// The tarballs installed into a fresh npm project outside the workspace, and used from there:
// `careos` from the installed bin, an ESM and a CommonJS consumer, TypeScript consumers
// (nodenext and bundler resolution), the reference server, and the Node.js version guard.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../scripts/pack.ts';
import { createProject, installedBytes, mustRun, npmInstall, run } from './fresh-project.ts';

const tarballs = inject('tarballs');
const tarball = (name: string) => tarballs.find((t) => t.name === name)!;
const SERVER = '@careos/server-reference';
const CLI_WITHOUT_SERVER_BUDGET_MB = 35;

/** The CLI's relation to the server: a dependency (always installed) or an optional peer. */
const cliManifest = JSON.parse(readFileSync(join(tarball('@careos/cli').dir, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
const serverIsCliDependency = SERVER in (cliManifest.dependencies ?? {});

const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** A Node.js older than the packages need, to see the guard: the system one on CI machines. */
function oldNode(): string | undefined {
  for (const candidate of [process.env.CAREOS_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node']) {
    if (!candidate || !existsSync(candidate)) continue;
    const version = run(ROOT, candidate, ['-p', 'process.versions.node']).stdout.trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 19)) return candidate;
  }
  return undefined;
}
const old = oldNode();

let project: string;
let cliInstallMb: number;
let help: ReturnType<typeof run>;
let version: ReturnType<typeof run>;

beforeAll(() => {
  project = createProject(join(import.meta.dirname, 'consumer'));
  // First the CLI as a user installs it (the server only when the CLI still depends on it)...
  const cliSet = ['@careos/cli', '@careos/sdk', '@careos/contract', '@careos/webhook-verifier', ...(serverIsCliDependency ? [SERVER] : [])];
  npmInstall(project, cliSet.map((name) => tarball(name).file));
  cliInstallMb = installedBytes(join(project, 'node_modules')) / 1e6;
  console.log(
    serverIsCliDependency
      ? `installed size of the CLI with the server (the CLI still depends on it): ${cliInstallMb.toFixed(1)} MB`
      : `installed size of the CLI without the server: ${cliInstallMb.toFixed(1)} MB (budget ${CLI_WITHOUT_SERVER_BUDGET_MB} MB)`,
  );
  const careos = join(project, 'node_modules', '.bin', 'careos');
  help = run(project, careos, ['--help']);
  version = run(project, careos, ['--version']);
  // ...then the server, for the consumers that use it.
  if (!serverIsCliDependency) npmInstall(project, [tarball(SERVER).file]);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('a fresh project with the tarballs installed', () => {
  it(`installs the CLI with its SDK, contract and verifier${serverIsCliDependency ? '' : ` in at most ${CLI_WITHOUT_SERVER_BUDGET_MB} MB, without the server`}`, () => {
    expect(cliInstallMb).toBeGreaterThan(0);
    if (!serverIsCliDependency) expect(cliInstallMb).toBeLessThanOrEqual(CLI_WITHOUT_SERVER_BUDGET_MB);
  });

  it('runs `careos --help` and `careos --version` from the installed bin', () => {
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: careos /);
    expect(version.stdout.trim()).toBe(cliManifest.version);
  });

  it('runs an ESM consumer', () => {
    expect(mustRun(project, process.execPath, ['esm.mjs'])).toContain('esm consumer ok');
  });

  it('runs a CommonJS consumer: require("@careos/sdk") is the client constructor', () => {
    expect(mustRun(project, process.execPath, ['cjs.cjs'])).toContain('cjs consumer ok');
  });

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['types.ts', 'types.cts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['types.ts']],
  ] as const)('type-checks a TypeScript consumer with moduleResolution %s', (name, resolution, files) => {
    const config = {
      compilerOptions: {
        ...resolution,
        target: 'es2023',
        lib: ['es2023'],
        strict: true,
        noEmit: true,
        // Third-party declarations (drizzle-orm's for databases we do not use) do not check
        // cleanly; ours are checked through their use here and by attw.
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files,
    };
    writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
    const result = run(project, process.execPath, [tsc, '-p', `tsconfig.${name}.json`]);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('starts the installed reference server (migrations from the tarball) and reads its health with the installed SDK', () => {
    expect(mustRun(project, process.execPath, ['server.mjs'])).toContain('server consumer ok');
  });
});

describe.skipIf(!old)(`on a Node.js older than 22.19 (${old ?? 'none found; set CAREOS_OLD_NODE to check'})`, () => {
  const entries = ['@careos/sdk', '@careos/contract', '@careos/webhook-verifier', '@careos/webhook-verifier/web', '@careos/webhook-verifier/express', '@careos/cli', SERVER];
  const packageOf = (entry: string) => entry.split('/').slice(0, 2).join('/');
  const oneLine = (name: string) => new RegExp(`^${name.replace('/', '\\/')} needs Node\\.js 22\\.19 or newer; this is Node\\.js \\d+\\.\\d+\\.\\d+\\.\\n$`);

  it.each(['careos', 'careos-server'])('the %s bin stops with one line naming the version it needs', (bin) => {
    const result = run(project, old!, [join(project, 'node_modules', '.bin', bin), '--help']);
    expect(result.stderr).toMatch(oneLine(bin === 'careos' ? '@careos/cli' : SERVER));
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });

  it.each(entries)('import and require of %s stop with one line naming the version it needs', (entry) => {
    const imported = run(project, old!, ['--input-type=module', '-e', `import '${entry}';`]);
    const required = run(project, old!, ['-e', `require('${entry}');`]);
    for (const result of [imported, required]) {
      expect(result.stderr).toMatch(oneLine(packageOf(entry)));
      expect(result.status).toBe(1);
    }
  });

  it('lets a caller catch the error, with its code', () => {
    const probe = `import('@careos/sdk').catch((error) => { console.log(error.code); })`;
    const result = run(project, old!, ['-e', probe]);
    expect(result.stdout.trim()).toBe('ERR_CAREOS_NODE_VERSION');
    expect(result.status).toBe(0);
  });
});
