// The Node.js version guard every published package carries. On a Node.js older than the
// package's `engines.node`, its dependencies fail deep inside with an unrelated error (undici 8
// on Node 20: `TypeError: Cannot read properties of undefined (reading 'bind')`). The guard runs
// before anything else in each built file and stops with one line naming the version needed.
//
// Used from each package's tsup.config.ts: `defineConfig({ ...options, ...nodeGuard(import.meta.dirname) })`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file name of the guard in `dist/`, per module format. */
const GUARD_FILE = { esm: 'node-guard.js', cjs: 'node-guard.cjs' } as const;

/** The error code the guard throws with, so a host that probes support can recognise it. */
export const NODE_VERSION_ERROR_CODE = 'ERR_CAREOS_NODE_VERSION';

/**
 * The guard's source: no import, no export and no syntax newer than ES2017, so it parses and
 * runs as ESM and as CommonJS on any Node.js that can load the file at all. It checks Node.js
 * only: Deno and Bun report a Node.js version of their own, and edge runtimes have no `process`
 * (the verifier's `web` entry runs there).
 */
export function guardSource(packageName: string, minimum: readonly [number, number]): string {
  const wanted = `${minimum[0]}.${minimum[1]}`;
  return `// Generated at build time: stops at once, in one line, on a Node.js older than ${packageName} needs.
'use strict';
var proc = globalThis.process;
var versions = proc && proc.versions;
if (versions && versions.node && !versions.bun && !versions.deno) {
  var parts = versions.node.split('.').map(Number);
  if (parts[0] < ${minimum[0]} || (parts[0] === ${minimum[0]} && parts[1] < ${minimum[1]})) {
    var message = '${packageName} needs Node.js ${wanted} or newer; this is Node.js ' + versions.node + '.';
    var error = new Error(message);
    error.code = '${NODE_VERSION_ERROR_CODE}';
    // A caller that catches the error keeps it; left uncaught, it prints this one line instead
    // of a stack trace, and any other uncaught error goes on to Node's own handling.
    var onUncaught = function (thrown) {
      proc.removeListener('uncaughtException', onUncaught);
      if (thrown === error) {
        proc.stderr.write(message + '\\n');
        proc.exit(1);
      }
      if (proc.listenerCount('uncaughtException') === 0) proc.nextTick(function () { throw thrown; });
    };
    proc.on('uncaughtException', onUncaught);
    throw error;
  }
}
`;
}

/** The minimum `[major, minor]` of an `engines.node` range written as `>=MAJOR.MINOR`. */
export function minimumNode(range: string | undefined): [number, number] {
  const match = /^>=\s*(\d+)\.(\d+)(?:\.\d+)?$/.exec(range?.trim() ?? '');
  if (!match) throw new Error(`engines.node must read ">=MAJOR.MINOR" for the Node.js guard (found ${JSON.stringify(range)})`);
  return [Number(match[1]), Number(match[2])];
}

/** Fails the build when a built file sits below `dist/`, where `./node-guard.js` would not resolve. */
function assertFlat(dist: string): void {
  for (const entry of readdirSync(dist, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const nested = readdirSync(join(dist, entry.name), { recursive: true }).map(String).filter((f) => /\.(c|m)?js$/.test(f));
    if (nested.length) throw new Error(`dist/${entry.name}/${nested[0]}: the Node.js guard expects every built file directly in dist/`);
  }
}

/**
 * tsup options that put the guard first in every built file and write it to `dist/`. The banner
 * is an import (ESM) or a require (CommonJS) rather than inline code because ESM evaluates every
 * imported module before the importing file's own code: only a first import runs before the
 * dependencies do. The CommonJS banner repeats the `"use strict"` directive because esbuild's own
 * one stops being a directive once a statement precedes it.
 */
export function nodeGuard(packageDir: string) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; engines?: { node?: string } };
  const source = guardSource(manifest.name, minimumNode(manifest.engines?.node));
  const dist = join(packageDir, 'dist');
  return {
    banner: ({ format }: { format: string }) => ({ js: format === 'cjs' ? `"use strict";\nrequire("./${GUARD_FILE.cjs}");` : `import "./${GUARD_FILE.esm}";` }),
    onSuccess: async () => {
      assertFlat(dist);
      writeFileSync(join(dist, GUARD_FILE.esm), source);
      writeFileSync(join(dist, GUARD_FILE.cjs), source);
    },
  };
}
