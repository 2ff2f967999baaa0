// Runs every shell and TypeScript/JavaScript block of the documentation as a reader would
// (see README.md in this folder for the markers that say how, or why a block is not run).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { documents } from './src/documents.js';
import { type DocBlock, marker, parseDoc } from './src/parse.js';
import { DocSession } from './src/session.js';
import { ROOT, writeShims } from './src/shims.js';

const shimDir = mkdtempSync(join(tmpdir(), 'careos-doc-shims-'));
writeShims(shimDir);
afterAll(() => rmSync(shimDir, { recursive: true, force: true }));

const DEFAULT_TIMEOUT_S = 60;

function title(block: DocBlock): string {
  const first = block.code.split('\n').find((l) => l.trim() && !l.trim().startsWith('//') && !l.trim().startsWith('#')) ?? '';
  return `line ${block.line} (${block.lang}): ${first.trim().slice(0, 60)}`;
}

// DOC_TEST_ONLY=<part of a path> runs the matching documents only (when editing one).
const only = process.env.DOC_TEST_ONLY;

for (const file of documents().filter((f) => !only || f.includes(only))) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const parsed = parseDoc(text);
  const runnable = parsed.blocks.filter((b) => !marker(b, 'skip'));

  describe(file, () => {
    let session: DocSession | undefined;

    beforeAll(async () => {
      if (runnable.length === 0) return;
      // An example's README is read from inside the example: its blocks run in a copy of that folder.
      const copyOf = file.startsWith('examples/') ? join(ROOT, dirname(file)) : undefined;
      session = await DocSession.create(shimDir, text, { copyOf });
      if (parsed.setup.some((m) => m.name === 'setup-server')) await session.startServer('careos server start --seed demo');
    }, 90_000);
    afterAll(() => session?.close(), 30_000);

    test('its doc-test markers are well formed', () => {
      expect(parsed.problems).toEqual([]);
    });

    for (const block of parsed.blocks) {
      const skip = marker(block, 'skip');
      if (skip) {
        test.skip(`${title(block)} — not run: ${skip.args}`, () => {});
        continue;
      }
      const seconds = Number(marker(block, 'timeout')?.args ?? DEFAULT_TIMEOUT_S);
      test(
        title(block),
        async () => {
          const s = session!;
          for (const env of block.markers.filter((m) => m.name === 'env')) s.applyEnv(env.args);
          const server = marker(block, 'server');
          if (server) return s.startServer(block.code, seconds * 1000, { replace: server.args === 'replace' });
          const file = marker(block, 'file');
          if (file) return s.saveFile(file.args, block.code);
          const result = await s.run(block, seconds * 1000);
          const context = `block at ${file ?? ''}line ${block.line} printed:\n${result.output.slice(-4000)}`;
          expect(result.code, context).toBe(DocSession.expectedExit(block));
          for (const expected of block.markers.filter((m) => m.name === 'expect')) {
            expect(result.output, context).toContain(s.localise(expected.args));
          }
        },
        (seconds + 5) * 1000,
      );
    }
  });
}
