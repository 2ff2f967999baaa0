// The README is what partners copy from: its imports must exist and its error table must list
// exactly the codes the library can throw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as expressEntry from '../src/express.js';
import * as node from '../src/index.js';
import * as web from '../src/web.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const entries: Record<string, Record<string, unknown>> = {
  '@careos/webhook-verifier': node,
  '@careos/webhook-verifier/web': web,
  '@careos/webhook-verifier/express': expressEntry,
};

describe('README', () => {
  it('imports only names its entries export', () => {
    const imports = [...readme.matchAll(/import \{([^}]+)\} from '(@careos\/webhook-verifier[^']*)'/g)];
    expect(imports.length).toBeGreaterThanOrEqual(5);
    for (const [, names, from] of imports) {
      const entry = entries[from!];
      expect(entry, from).toBeDefined();
      for (const name of names!.split(',').map((n) => n.trim().replace(/^type /, ''))) expect(entry, `${name} from ${from}`).toHaveProperty(name);
    }
  });

  it('lists every error code, and only those', () => {
    const source = readFileSync(join(root, 'src', 'errors.ts'), 'utf8');
    const union = source.slice(source.indexOf('export type WebhookErrorCode'), source.indexOf(';', source.indexOf('export type WebhookErrorCode')));
    const codes = [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
    const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    const inTsdoc = [...source.matchAll(/^ \* \| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(codes.length).toBeGreaterThan(10);
    expect(documented).toEqual(codes);
    expect(inTsdoc).toEqual(codes);
  });
});
