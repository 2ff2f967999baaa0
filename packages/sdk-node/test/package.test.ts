import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('package.json', () => {
  it('VERSION matches the package version', () => {
    expect(VERSION).toBe(pkg.version);
  });
  it('declares the Node engine, no side effects but the Node.js version guard, and ESM + CJS entry points with types', () => {
    expect(pkg.engines).toEqual({ node: '>=22.19' });
    // Bundlers must keep the guard's import; everything else may be tree-shaken.
    expect(pkg.sideEffects).toEqual(['./dist/node-guard.js', './dist/node-guard.cjs']);
    expect(pkg.exports).toMatchObject({
      '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' }, require: { types: './dist/index.d.cts', default: './dist/index.cjs' } },
    });
  });
});
