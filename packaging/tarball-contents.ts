// Reading a packed tarball: its files, its manifest, its README's links and the packages its
// type declarations import.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The package.json fields the packaging tests read. */
export interface PackedManifest {
  name: string;
  version: string;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  bin?: Record<string, string>;
  sideEffects?: boolean | string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** A tarball unpacked into a temporary folder. */
export interface Unpacked {
  /** The package root (npm tarballs hold everything under `package/`). */
  root: string;
  /** Every file, relative to the package root, with `/` separators. */
  files: string[];
  manifest: PackedManifest;
}

/** Unpacks a `.tgz` with the system tar. */
export function unpack(tarball: string): Unpacked {
  const dir = mkdtempSync(join(tmpdir(), 'careos-unpacked-'));
  const result = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${result.stderr}`);
  const root = join(dir, 'package');
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1).split('\\').join('/'))
    .sort();
  return { root, files, manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackedManifest };
}

/** Link targets in a Markdown text: inline links and images, and reference definitions. */
export function markdownLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

/**
 * Links that would be broken on the registry page: relative links to files the tarball does
 * not ship (absolute URLs and in-page anchors always work there).
 */
export function brokenReadmeLinks(unpacked: Unpacked, readme: string): string[] {
  return markdownLinks(readme).filter((target) => {
    if (/^(https?:|mailto:|#)/.test(target)) return false;
    const path = target.split('#')[0]!.replace(/^\.\//, '');
    return !unpacked.files.includes(path);
  });
}

const builtins = new Set(builtinModules);

/** The package a bare module specifier names: `zod/v4/core` → `zod`, `@a/b/c` → `@a/b`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The packages (not Node built-ins, not relative files) that the shipped declarations import. */
export function declarationImports(unpacked: Unpacked): Set<string> {
  const found = new Set<string>();
  for (const file of unpacked.files.filter((f) => /\.d\.(c|m)?ts$/.test(f))) {
    // Comments hold usage examples (`import express from 'express'`) that are not imports.
    const text = readFileSync(join(unpacked.root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
      found.add(packageOf(specifier));
    }
  }
  return found;
}

/** The `@types/` package that carries a package's types: `express` → `@types/express`, `@a/b` → `@types/a__b`. */
export function typesPackageOf(name: string): string {
  return `@types/${name.replace(/^@/, '').replace('/', '__')}`;
}
