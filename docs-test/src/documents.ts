import { globSync } from 'node:fs';
import { ROOT } from './shims.js';

/**
 * Every document whose code blocks are tested, relative to the repository root: the README,
 * the guides (not the generated API reference), each package's README and each example's
 * README at any depth. A new file in any of these places is covered without registering it.
 */
export function documents(): string[] {
  const patterns = ['README.md', 'docs/**/*.md', 'packages/*/README.md', 'examples/**/README.md'];
  return globSync(patterns, { cwd: ROOT, exclude: (path) => /(^|\/)(node_modules|dist)(\/|$)|^docs\/api\//.test(String(path)) })
    .filter((path) => !/(^|\/)node_modules\//.test(path) && !path.startsWith('docs/api/'))
    .sort();
}
