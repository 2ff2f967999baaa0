import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/** A package whose code ended up in the bundle. */
interface Bundled {
  name: string;
  version: string;
  license: string;
  text: string;
}

/** The package root of a bundled input path (`…/node_modules/@scope/name/…` → `…/node_modules/@scope/name`). */
function packageRoot(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  const depth = parts[0]!.startsWith('@') ? 2 : 1;
  return input.slice(0, at) + 'node_modules/' + parts.slice(0, depth).join('/');
}

function readPackage(root: string): Bundled {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
  const file = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return { name: manifest.name, version: manifest.version, license: manifest.license ?? 'see the package', text: file ? readFileSync(join(root, file), 'utf8').trim() : '' };
}

/**
 * Writes `dist/THIRD-PARTY-LICENSES.md`: the licence text of every npm package whose code the
 * bundle contains (the SDK's zod, undici, libphonenumber-js…), since bundling copies their code
 * into this package and their licences ask that the notice travel with it.
 */
export function thirdPartyNotices(outDir: string): Plugin {
  return {
    name: 'third-party-notices',
    setup(build) {
      // Asked here rather than with tsup's `metafile` option, which would also ship it in dist.
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (!result.metafile) return;
        const roots = new Set(Object.keys(result.metafile.inputs).map(packageRoot).filter((root): root is string => root !== undefined && existsSync(root)));
        const packages = [...roots].map(readPackage).filter((p) => !p.name.startsWith('@careos/'));
        const unique = [...new Map(packages.map((p) => [`${p.name}@${p.version}`, p])).values()].sort((a, b) => a.name.localeCompare(b.name));
        const sections = unique.map((p) => `## ${p.name} ${p.version} (${p.license})\n\n${p.text ? '```\n' + p.text + '\n```' : '(no licence file shipped with the package)'}`);
        // A fresh checkout has no dist/ yet when the ESM build ends.
        mkdirSync(outDir, { recursive: true });
        writeFileSync(join(outDir, 'THIRD-PARTY-LICENSES.md'), `# Third-party code bundled in @careos/cli\n\n${sections.join('\n\n')}\n`);
      });
    },
  };
}
