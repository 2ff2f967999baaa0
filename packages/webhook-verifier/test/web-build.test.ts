// The web entry must run where there is no Node: these tests read the built files (run the
// build first; `pnpm test` does) and execute the CommonJS build in a bare V8 context that has
// only the globals every edge runtime has.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createTestHeaders, sign } from '../src/index.js';

const dist = join(import.meta.dirname, '..', 'dist');
const builtins = new Set(builtinModules);

function built(file: string): string {
  const path = join(dist, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: build the package first (node scripts/build.ts from the repository root)`);
  return readFileSync(path, 'utf8');
}

/**
 * Every module specifier a built file loads: ESM import/export statements (which esbuild starts
 * on a new line), dynamic import() and require() calls. Anchored so that error messages that
 * mention a module name do not count.
 */
function specifiers(code: string): string[] {
  const patterns = [/^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms, /^import\s*["']([^"']+)["']/gm, /\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g];
  return [...new Set(patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1]!)))];
}

/** The file and every file it imports, transitively, with their specifiers. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const list = specifiers(built(file));
    seen.set(file, list);
    for (const spec of list) if (spec.startsWith('./')) visit(join(dirname(file), spec));
  };
  visit(entry);
  return seen;
}

describe('built web entry', () => {
  it.each(['web.js', 'web.cjs'])('%s and its chunks import nothing but each other: no node: module, no Node built-in', (entry) => {
    const files = graph(entry);
    expect(files.size).toBeGreaterThan(1); // the entry and at least one shared chunk
    for (const [file, list] of files) {
      for (const spec of list) {
        expect(spec.startsWith('./'), `${file} imports ${spec}`).toBe(true);
        expect(spec.startsWith('node:') || builtins.has(spec), `${file} imports ${spec}`).toBe(false);
      }
      expect(built(file)).not.toMatch(/\bnode:[a-z]/);
    }
  });

  it('the Node entry does keep its node: prefix, which Deno and Bun need', () => {
    const imports = [...graph('index.js').values()].flat();
    expect(imports).toContain('node:crypto');
    expect(imports).not.toContain('crypto');
  });

  it('runs in a bare context with only crypto, TextEncoder/TextDecoder and atob/btoa', async () => {
    const context = createContext({ crypto: globalThis.crypto, TextEncoder, TextDecoder, atob, btoa });
    const cache = new Map<string, Record<string, unknown>>();
    const load = (file: string): Record<string, unknown> => {
      const hit = cache.get(file);
      if (hit) return hit;
      const module = { exports: {} as Record<string, unknown> };
      cache.set(file, module.exports);
      const require = (spec: string) => {
        if (!spec.startsWith('./')) throw new Error(`the web build required ${spec}`);
        return load(join(dirname(file), spec));
      };
      const wrapper = runInContext(`(function (exports, require, module) {${built(file)}\n})`, context) as (...args: unknown[]) => void;
      wrapper(module.exports, require, module);
      return module.exports;
    };
    const web = load('web.cjs') as typeof import('../src/web.js');
    expect(runInContext('typeof Buffer + typeof process + typeof require', context)).toBe('undefinedundefinedundefined');

    const secret = `whsec_${Buffer.from('a sandboxed secret of 32 bytes!!').toString('base64')}`;
    const body = JSON.stringify({ type: 'consent.revoked', client_id: 'cl_1' });
    const fromNode = createTestHeaders(secret, body, { event: 'consent.revoked' });
    expect(await web.verifyAsync(body, fromNode, secret)).toBe(body);
    expect(await web.verifyAsync(new TextEncoder().encode(body), fromNode, secret, { scheme: 'legacy' })).toBe(body);
    const fromSandbox = await web.signAsync(secret, body, { id: 'msg_sandbox', timestamp: new Date(0) });
    expect(fromSandbox).toEqual(sign(secret, body, { id: 'msg_sandbox', timestamp: new Date(0) }));
    await expect(web.verifyAsync(`${body} `, fromNode, secret)).rejects.toMatchObject({ code: 'NO_MATCHING_SIGNATURE' });
  });
});
