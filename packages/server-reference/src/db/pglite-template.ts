import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsFolder } from './migrate.js';

/** The variable naming where templates are kept; `off` keeps none on disk. */
export const TEMPLATE_CACHE_ENV = 'CAREOS_PGLITE_CACHE_DIR';

/** A tar archive says `ustar` at this offset of its first header. */
const TAR_MAGIC_OFFSET = 257;

/**
 * What a migrated empty database depends on: the PGlite installed and every migration's text. A
 * template made from anything else has another name, so a changed migration or an upgraded
 * PGlite never loads an old one.
 */
let key: string | undefined;

function templateKey(): string {
  if (key) return key;
  const hash = createHash('sha256');
  // PGlite's exports hide its package.json: its entry's path names the installed version.
  hash.update(`${createRequire(import.meta.url).resolve('@electric-sql/pglite')}\n`);
  const folder = migrationsFolder();
  hash.update(readFileSync(join(folder, 'meta', '_journal.json')));
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.sql')).sort()) {
    hash.update(file).update(readFileSync(join(folder, file)));
  }
  // Neither changes while the process runs: read and hashed once.
  return (key = hash.digest('hex').slice(0, 32));
}

/**
 * The folder of this user's templates, or null when there is none to trust: it is made 0700,
 * and used only while it belongs to this user and nobody else can write in it (a template is
 * loaded as the database, so one planted by someone else must never be).
 */
function cacheDir(): string | null {
  // Read by its literal name, as every variable the server reads is (the .env.example test finds them so).
  const configured = process.env.CAREOS_PGLITE_CACHE_DIR;
  if (configured === 'off') return null;
  const uid = process.getuid?.() ?? null;
  const dir = configured || join(tmpdir(), `careos-pglite-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory() || (uid !== null && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}

/** Where this PGlite's and these migrations' template is kept, or null when no folder can be trusted. */
function templatePath(): string | null {
  const dir = cacheDir();
  return dir ? join(dir, `template-${templateKey()}.tar`) : null;
}

/**
 * The migrated empty database as a tarball (PGlite's `dumpDataDir`), kept on disk so that a
 * process opening an embedded database loads it (about a second) instead of running initdb and
 * every migration (about six on these machines). Only the schema and the migrations' own rows
 * are in it: it is made before any server writes a key or a record. A missing, unreadable or
 * malformed file is made again by `build`; writes go through a rename, so a reader never sees
 * half a file, and processes racing to make it each write a whole one.
 */
export async function cachedTemplate(build: () => Promise<ArrayBuffer>): Promise<ArrayBuffer> {
  const path = templatePath();
  if (path) {
    try {
      const bytes = readFileSync(path);
      if (bytes.toString('latin1', TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5) === 'ustar') {
        // A file this large gets a buffer of its own: no copy unless it shares one.
        const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        return (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
      }
    } catch {
      // Not made yet (or not readable): made below.
    }
  }
  const template = await build();
  if (path) {
    const partial = `${path}.${randomUUID()}`;
    try {
      writeFileSync(partial, new Uint8Array(template), { mode: 0o600 });
      renameSync(partial, path);
    } catch {
      // A full disk or a read-only folder costs only the next start's speed.
      rmSync(partial, { force: true });
    }
  }
  return template;
}

/** Forgets a template that failed to load, so that the next start makes it again. */
export function forgetTemplate(): void {
  const path = templatePath();
  if (path) rmSync(path, { force: true });
}
