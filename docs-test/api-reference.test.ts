// The API reference (typedoc over every package's public exports) builds with no warning: a
// public type that names an unexported one, or a link to a symbol left out, fails here rather
// than in `pnpm docs`. Needs the build (`pnpm test` builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

it('typedoc builds the API reference with no error and no warning', () => {
  const out = mkdtempSync(join(tmpdir(), 'careos-typedoc-'));
  try {
    const result = spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', out], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/html generated/);
    expect(output).not.toMatch(/\[(warning|error)\]/);
    expect(result.status, output).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 240_000);
