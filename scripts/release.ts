// `pnpm release` (after the build): `changeset publish`, which publishes every package whose
// version is not on the registry yet, with npm provenance so each tarball on npm links back to
// the commit and workflow that built it (this needs a CI runner that grants an OIDC token).
//
// `pnpm release:dry-run`: every step short of publishing, without reaching the registry to
// publish: the pending changesets must parse (`changeset status`), and each package, packed as
// it would be published, goes through `npm publish --dry-run` with provenance on. The packaging
// tests run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, ROOT, type Tarball } from './pack.ts';

const changeset = join(ROOT, 'node_modules', '.bin', 'changeset');

/** What the dry run checked: the releases the pending changesets ask for, and the would-be publishes. */
export interface DryRunResult {
  releases: { name: string; type: string; newVersion: string }[];
  published: string[];
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/**
 * The release dry run. `tarballs` lets a caller that already packed the workspace reuse them;
 * otherwise the packages are packed into a temporary folder.
 */
export function releaseDryRun(tarballs?: Tarball[]): DryRunResult {
  const scratch = mkdtempSync(join(tmpdir(), 'careos-release-'));
  try {
    const statusFile = join(scratch, 'status.json');
    run(changeset, ['status', '--output', statusFile]);
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as { releases: DryRunResult['releases'] };
    const published = (tarballs ?? packAll(scratch)).map((tarball) => {
      const output = run('npm', ['publish', tarball.file, '--dry-run', '--access', 'public'], { NPM_CONFIG_PROVENANCE: 'true' });
      const line = output.split('\n').find((l) => l.startsWith('+ '));
      if (line !== `+ ${tarball.name}@${tarball.version}`) throw new Error(`npm publish --dry-run did not publish ${tarball.name}:\n${output}`);
      return line.slice(2);
    });
    return { releases: status.releases.map(({ name, type, newVersion }) => ({ name, type, newVersion })), published };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  if (process.argv.includes('--dry-run')) {
    const { releases, published } = releaseDryRun();
    for (const r of releases.filter((release) => release.type !== 'none')) console.log(`pending: ${r.name} ${r.type} → ${r.newVersion}`);
    for (const p of published) console.log(`would publish: ${p} (with provenance)`);
  } else {
    const result = spawnSync(changeset, ['publish'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NPM_CONFIG_PROVENANCE: 'true' } });
    process.exit(result.status ?? 1);
  }
}
