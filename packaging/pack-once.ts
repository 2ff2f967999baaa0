// Packs the workspace once for every packaging test file (packing takes a few seconds and the
// files would otherwise race to write the same tarballs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll, type Tarball } from '../scripts/pack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every publishable package, packed. */
    tarballs: Tarball[];
  }
}

/** Vitest global setup: packs into a temporary folder, removed after the run. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'careos-pack-'));
  project.provide('tarballs', packAll(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
