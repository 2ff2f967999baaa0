// The README's list of benchmark sections is the one `bench/run.ts` runs: a section added to the
// bench and not to the README (three were) would be one a reader cannot find.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

it('the README names every bench section, in the order they run', () => {
  const run = readFileSync(join(root, 'bench', 'run.ts'), 'utf8');
  const sections = [...run.matchAll(/^\s*\['([a-z-]+)', \(\) =>/gm)].map((m) => m[1]);
  expect(sections.length).toBeGreaterThan(10);
  const line = readFileSync(join(root, 'README.md'), 'utf8').split('\n').find((l) => l.startsWith('| `pnpm bench` |'));
  const listed = [...(line ?? '').replace(/^.*runs some sections:/, '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
  expect(listed).toEqual(sections);
});
