// Every package as it would reach npm: what the tarball holds, its registry metadata, publint and
// attw on the tarball, and the release dry run. See docs/decisions.md ("Packaging").
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../scripts/pack.ts';
import { releaseDryRun } from '../scripts/release.ts';
import { brokenReadmeLinks, declarationImports, typesPackageOf, unpack, type Unpacked } from './tarball-contents.ts';

const REPOSITORY = 'https://github.com/careos/partner-platform';
const tarballs = inject('tarballs');
const attw = join(ROOT, 'node_modules', '.bin', 'attw');

/** Files a tarball may hold besides `dist/`: what npm always adds, and the server's migrations. */
const SHIPPED_OUTSIDE_DIST = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^drizzle\/\d{4}_[a-z0-9_]+\.sql$/, /^drizzle\/meta\/_journal\.json$/, /^\.env\.example$/];

/** The attw rules a package accepts: its `.attw.json` (each one justified in docs/decisions.md). */
function acceptedAttwRules(dir: string): string[] {
  const config = join(dir, '.attw.json');
  return existsSync(config) ? ((JSON.parse(readFileSync(config, 'utf8')) as { ignoreRules?: string[] }).ignoreRules ?? []) : [];
}

/** attw's problem kinds as the rule names its config takes (attw's own table, not exported). */
const ATTW_RULES: Record<string, string> = {
  NoResolution: 'no-resolution',
  UntypedResolution: 'untyped-resolution',
  FalseCJS: 'false-cjs',
  FalseESM: 'false-esm',
  CJSResolvesToESM: 'cjs-resolves-to-esm',
  FallbackCondition: 'fallback-condition',
  CJSOnlyExportsDefault: 'cjs-only-exports-default',
  NamedExports: 'named-exports',
  FalseExportDefault: 'false-export-default',
  MissingExportEquals: 'missing-export-equals',
  UnexpectedModuleSyntax: 'unexpected-module-syntax',
  InternalResolutionError: 'internal-resolution-error',
};
const ruleName = (kind: string) => ATTW_RULES[kind] ?? kind;

/** Whether an installed package carries its own type declarations. */
function shipsOwnTypes(packageDir: string): boolean {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  return Boolean(manifest.types ?? manifest.typings) || JSON.stringify(manifest.exports ?? {}).includes('"types"') || existsSync(join(packageDir, 'index.d.ts'));
}

describe.each(tarballs)('$name tarball', (tarball) => {
  let unpacked: Unpacked;
  beforeAll(() => {
    unpacked = unpack(tarball.file);
  });
  afterAll(() => rmSync(join(unpacked.root, '..'), { recursive: true, force: true }));

  it('carries the MIT licence text and the metadata the registry page links to', () => {
    const { manifest, files } = unpacked;
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(readFileSync(join(unpacked.root, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: relative(ROOT, tarball.dir) });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/${relative(ROOT, tarball.dir)}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
    expect(Object.entries(ranges).filter(([, range]) => range.startsWith('workspace:'))).toEqual([]);
  });

  it('ships only what runs: no source maps, sources, tests or drizzle snapshots', () => {
    const extra = unpacked.files.filter((file) => !file.startsWith('dist/') && !SHIPPED_OUTSIDE_DIST.some((allowed) => allowed.test(file)));
    expect(extra).toEqual([]);
    expect(unpacked.files.filter((file) => /\.map$|\.test\.|(^|\/)src\//.test(file))).toEqual([]);
    // Every built file imports the Node.js version guard first; bundlers must keep that import.
    expect(unpacked.files).toEqual(expect.arrayContaining(['dist/node-guard.js']));
    expect(unpacked.manifest.sideEffects).toEqual(expect.arrayContaining(['./dist/node-guard.js']));
  });

  it('has a README whose links work on the registry page', () => {
    expect(brokenReadmeLinks(unpacked, readFileSync(join(unpacked.root, 'README.md'), 'utf8'))).toEqual([]);
  });

  it('declares every package its type declarations import, with types', () => {
    const { manifest } = unpacked;
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
    const problems = [...declarationImports(unpacked)].flatMap((name) => {
      if (!(name in declared)) return [`${name} is imported by the declarations but not a dependency`];
      if (typesPackageOf(name) in declared || shipsOwnTypes(join(tarball.dir, 'node_modules', name))) return [];
      return [`${name} ships no types and ${typesPackageOf(name)} is not a dependency`];
    });
    expect(problems).toEqual([]);
  });

  it('passes publint with nothing to report, suggestions included', async () => {
    const data = readFileSync(tarball.file);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, level: 'suggestion' });
    expect(messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([]);
  });

  it('passes attw, reporting exactly the problems the package accepts', () => {
    // attw reads .attw.json from the working directory: the package's own folder.
    const result = spawnSync(attw, [tarball.file, '--format', 'json'], { cwd: tarball.dir, encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as { problems?: Record<string, { kind: string; entrypoint: string; resolutionKind: string }[]> };
    const found = [...new Set(Object.keys(report.problems ?? {}).map(ruleName))].sort();
    expect(found).toEqual(acceptedAttwRules(tarball.dir).sort());
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('release dry run', () => {
  it('reads the pending changesets and publishes every tarball with provenance, without publishing', () => {
    const { releases, published } = releaseDryRun(tarballs);
    expect(published.sort()).toEqual(tarballs.map((t) => `${t.name}@${t.version}`).sort());
    for (const release of releases) expect(release.type).toMatch(/^(major|minor|patch|none)$/);
  });
});
