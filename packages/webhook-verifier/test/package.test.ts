// What a partner installs: the manifest and the built entry points (run the build first).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
};
const entries = { '.': 'index', './web': 'web', './express': 'express' } as const;
const require = createRequire(join(root, 'package.json'));

describe('package manifest', () => {
  it('has no runtime dependencies; express is an optional peer only', () => {
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toEqual({ express: expect.any(String) });
    expect(manifest.peerDependenciesMeta?.express?.optional).toBe(true);
  });

  it('exports the Node, web and express entries as ESM and CJS with types, all built', () => {
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './express', './package.json', './web']);
    for (const [subpath, name] of Object.entries(entries)) {
      const target = manifest.exports[subpath];
      expect(target).toEqual({
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      });
      for (const file of [`${name}.js`, `${name}.cjs`, `${name}.d.ts`, `${name}.d.cts`]) expect(existsSync(join(root, 'dist', file)), file).toBe(true);
    }
  });
});

describe('built entries', () => {
  it('load by name with require() and share one WebhookVerificationError class', () => {
    const node = require('@careos/webhook-verifier');
    const web = require('@careos/webhook-verifier/web');
    const expressEntry = require('@careos/webhook-verifier/express');
    expect(Object.keys(node).sort()).toEqual(['WebhookVerificationError', 'createTestHeaders', 'sign', 'signLegacy', 'verify', 'verifyLegacy', 'verifyWebhook']);
    expect(Object.keys(web).sort()).toEqual([
      'WebhookVerificationError',
      'createTestHeadersAsync',
      'signAsync',
      'signLegacyAsync',
      'verifyAsync',
      'verifyLegacyAsync',
      'verifyRequest',
      'verifyWebhookAsync',
    ]);
    expect(Object.keys(expressEntry).sort()).toEqual(['WebhookVerificationError', 'webhookMiddleware']);
    expect(web.WebhookVerificationError).toBe(node.WebhookVerificationError);
    expect(expressEntry.WebhookVerificationError).toBe(node.WebhookVerificationError);
    // An error thrown inside the express entry is an instance of the class the main entry exports.
    let thrown: unknown;
    try {
      expressEntry.webhookMiddleware('');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(node.WebhookVerificationError);
  });

  it('load as ESM and share one WebhookVerificationError class', async () => {
    const load = (name: string) => import(pathToFileURL(join(root, 'dist', `${name}.js`)).href);
    const [node, web, expressEntry] = await Promise.all([load('index'), load('web'), load('express')]);
    expect(typeof node.verify).toBe('function');
    expect(typeof web.verifyRequest).toBe('function');
    expect(web.WebhookVerificationError).toBe(node.WebhookVerificationError);
    expect(expressEntry.WebhookVerificationError).toBe(node.WebhookVerificationError);
  });

  it('the express entry never loads express itself', () => {
    for (const file of ['express.js', 'express.cjs']) {
      const code = readFileSync(join(root, 'dist', file), 'utf8');
      expect(code).not.toMatch(/from\s*["']express["']|require\(\s*["']express["']\s*\)/);
    }
  });
});
