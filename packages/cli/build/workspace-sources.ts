import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** The source index of each workspace package the CLI bundles. */
const INDEXES: Readonly<Record<string, string>> = {
  '@careos/sdk': fileURLToPath(new URL('../../sdk-node/src/index.ts', import.meta.url)),
  '@careos/contract': fileURLToPath(new URL('../../contract/src/index.ts', import.meta.url)),
  '@careos/webhook-verifier': fileURLToPath(new URL('../../webhook-verifier/src/index.ts', import.meta.url)),
};
const PACKAGE_SPECIFIER = /^@careos\/(?:sdk|contract|webhook-verifier)$/;
/** `import { a, b as c } from '@careos/…'` (or `export { … } from`) at the start of a line; `import type` is left alone (it is erased). */
const PACKAGE_IMPORT = /^(import|export)\s*\{([^}]*)\}\s*from\s*'(@careos\/(?:sdk|contract|webhook-verifier))';?/gm;

/** A value a module exports: the file that declares it and its name there. */
interface Binding {
  file: string;
  name: string;
}

/** `a`, `b as c`, `type d` → [imported, local] pairs, type-only entries left out. */
function specifiers(list: string): [string, string][] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('type '))
    .map((entry) => {
      const [name, alias] = entry.split(/\s+as\s+/);
      return [name!, alias ?? name!];
    });
}

/**
 * Where each value a source file exports is declared, following its re-exports (`export *`,
 * `export { a } from`, and `import { a } …; export { a }`). Only the forms the workspace packages
 * use are read; a name not found here keeps its import through the index, which is still correct.
 */
function exportsOf(file: string, cache: Map<string, Map<string, Binding>>): Map<string, Binding> {
  const known = cache.get(file);
  if (known) return known;
  const bindings = new Map<string, Binding>();
  cache.set(file, bindings);
  const text = readFileSync(file, 'utf8');
  const target = (specifier: string): string | undefined => {
    if (PACKAGE_SPECIFIER.test(specifier)) return INDEXES[specifier];
    if (!specifier.startsWith('.')) return undefined;
    const path = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    return existsSync(path) ? path : undefined;
  };
  const from = (specifier: string, name: string): Binding | undefined => {
    const path = target(specifier);
    return path === undefined ? undefined : exportsOf(path, cache).get(name);
  };
  for (const [, name] of text.matchAll(/^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|enum)\s+([\w$]+)/gm)) {
    bindings.set(name!, { file, name: name! });
  }
  const imported = new Map<string, [specifier: string, name: string]>();
  for (const [, list, specifier] of text.matchAll(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)'/gm)) {
    for (const [name, local] of specifiers(list!)) imported.set(local, [specifier!, name]);
  }
  for (const [, list, specifier] of text.matchAll(/^export\s*\{([^}]*)\}(?:\s*from\s*'([^']+)')?/gm)) {
    for (const [name, exported] of specifiers(list!)) {
      const origin = specifier ?? imported.get(name)?.[0];
      const binding = origin === undefined ? { file, name } : from(origin, specifier ? name : imported.get(name)![1]);
      if (binding) bindings.set(exported, binding);
    }
  }
  for (const [, specifier] of text.matchAll(/^export\s*\*\s*from\s*'([^']+)'/gm)) {
    const path = target(specifier!);
    if (path === undefined) continue;
    for (const [name, binding] of exportsOf(path, cache)) if (!bindings.has(name)) bindings.set(name, binding);
  }
  return bindings;
}

/**
 * Bundles the SDK, the contract and the webhook verifier from their TypeScript sources, each
 * value imported from the file that declares it rather than through the package's index.
 *
 * Each package's `dist` build is one module, and the bundler splits code by file: a command that
 * imported one function of the SDK loaded all of it (every client, undici, every route's zod
 * schema, libphonenumber-js). Even from the sources, a file that imports a package's index makes
 * every file the index re-exports part of its chunk. So `import { a } from '@careos/contract'`
 * in the CLI and in the packages' sources is rewritten, while bundling, to an import of the file
 * that declares `a`; the bundler then drops the files nothing uses (the packages declare no side
 * effects outside their node guard) and loads each file with the commands that reach it. The
 * bindings are the same either way: one copy of each file, hence of each error class.
 */
export function workspaceSources(): Plugin {
  const cache = new Map<string, Map<string, Binding>>();
  return {
    name: 'careos-workspace-sources',
    setup(build) {
      // `tsup --watch` rebuilds with the same plugin: read the packages' exports afresh each time.
      build.onStart(() => cache.clear());
      // A bare `@careos/…` left (a dynamic `import()`, a name not found): the package's index.
      // esbuild reads `sideEffects` for the files it resolves itself, not for a plugin's answer.
      build.onResolve({ filter: PACKAGE_SPECIFIER }, (args) => ({ path: INDEXES[args.path]!, sideEffects: false }));
      build.onLoad({ filter: /[\\/]packages[\\/](?:cli|sdk-node|contract|webhook-verifier)[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const contents = text.replace(PACKAGE_IMPORT, (statement, keyword: string, list: string, pkg: string) => {
          const names = specifiers(list);
          const bindings = names.map(([name]) => exportsOf(INDEXES[pkg]!, cache).get(name));
          if (bindings.some((binding) => binding === undefined)) return statement;
          const byFile = new Map<string, string[]>();
          names.forEach(([, local], i) => {
            const { file, name } = bindings[i]!;
            byFile.set(file, [...(byFile.get(file) ?? []), name === local ? name : `${name} as ${local}`]);
          });
          return [...byFile].map(([file, list]) => `${keyword} { ${list.join(', ')} } from ${JSON.stringify(file)};`).join(' ');
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}
