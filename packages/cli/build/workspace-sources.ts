import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** The folder of each workspace package the CLI bundles. */
const PACKAGE_DIRS: Readonly<Record<string, string>> = { sdk: 'sdk-node', contract: 'contract', 'webhook-verifier': 'webhook-verifier' };

/**
 * Bundles the SDK, the contract and the webhook verifier from their TypeScript sources rather
 * than from their `dist` builds. Each `dist` build is one module, so whichever command imported
 * one function of the SDK loaded all of it (every client, undici, every route's zod schema,
 * libphonenumber-js); from the sources, the bundler sees one module per file, drops the files
 * nothing uses (the packages declare no side effects outside their node guard) and puts each
 * file in the chunks of the commands that reach it. Every import of a package, from the CLI or
 * from another package's sources, resolves to the same file: one copy of each error class.
 *
 * `@careos/<package>` is the package's `src/index.ts`. `@careos/<package>/src/<file>.js` is one
 * source file, for the few places that must not go through the index: the bundler splits code
 * by file, so importing the index makes every file it re-exports part of the importing chunk
 * (the dry run of `careos lead send` would load the HTTP client and undici). Those specifiers
 * exist only here; `src/bundled-sources.d.ts` gives each one its types from the package.
 */
export function workspaceSources(): Plugin {
  const source = (pkg: string, file: string) => fileURLToPath(new URL(`../../${PACKAGE_DIRS[pkg]}/src/${file}`, import.meta.url));
  return {
    name: 'careos-workspace-sources',
    setup(build) {
      build.onResolve({ filter: /^@careos\/(sdk|contract|webhook-verifier)(\/src\/.+\.js)?$/ }, (args) => {
        const [, pkg, file] = /^@careos\/([^/]+)(?:\/src\/(.+)\.js)?$/.exec(args.path)!;
        // As the packages declare: no file has side effects (their node guard is not bundled).
        // esbuild reads `sideEffects` for the files it resolves itself, not for a plugin's answer.
        return { path: source(pkg!, `${file ?? 'index'}.ts`), sideEffects: false };
      });
    },
  };
}
