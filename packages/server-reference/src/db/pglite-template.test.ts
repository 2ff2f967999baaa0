import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './open-database.js';
import { cachedTemplate, forgetTemplate, TEMPLATE_CACHE_ENV } from './pglite-template.js';
import { PgliteThread } from './pglite-thread.js';

/** A tarball as far as the cache can tell: `ustar` where a tar header says it. */
function fakeTar(fill: number): ArrayBuffer {
  const bytes = new Uint8Array(1024).fill(fill);
  bytes.set(Buffer.from('ustar'), 257);
  return bytes.buffer;
}

/** How many migrations the package has. */
const migrationCount = () => (JSON.parse(readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;

describe('the migrated-database template on disk', () => {
  let dir: string;
  let builds: number;
  const build = (fill: number) => async () => {
    builds++;
    return fakeTar(fill);
  };
  const files = () => readdirSync(dir).filter((name) => name.startsWith('template-'));

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'careos-template-')), 'cache');
    process.env[TEMPLATE_CACHE_ENV] = dir;
    builds = 0;
  });
  afterEach(() => {
    delete process.env[TEMPLATE_CACHE_ENV];
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('is made once, private to its owner, then read back by later starts', async () => {
    const first = await cachedTemplate(build(1));
    const second = await cachedTemplate(build(2));
    expect(builds).toBe(1);
    expect(Buffer.from(second)).toEqual(Buffer.from(first));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(files()).toHaveLength(1);
    expect(statSync(join(dir, files()[0]!)).mode & 0o777).toBe(0o600);
  });

  it('makes a malformed or forgotten file again', async () => {
    await cachedTemplate(build(1));
    writeFileSync(join(dir, files()[0]!), 'not a tarball');
    expect(new Uint8Array(await cachedTemplate(build(2)))[0]).toBe(2);
    forgetTemplate();
    expect(files()).toHaveLength(0);
    expect(new Uint8Array(await cachedTemplate(build(3)))[0]).toBe(3);
    expect(builds).toBe(3);
  });

  it('neither reads nor writes a folder others can write to, nor any when turned off', async () => {
    await cachedTemplate(build(1));
    chmodSync(dir, 0o777);
    expect(new Uint8Array(await cachedTemplate(build(2)))[0]).toBe(2);
    chmodSync(dir, 0o700);
    rmSync(join(dir, files()[0]!));
    process.env[TEMPLATE_CACHE_ENV] = 'off';
    await cachedTemplate(build(3));
    expect(builds).toBe(3);
    expect(files()).toHaveLength(0);
  });

  it('opens an existing data directory as it is, without loading the template over it', async () => {
    // The usual cache folder, where earlier starts have most likely made the template already.
    delete process.env[TEMPLATE_CACHE_ENV];
    const dataDir = join(dir, '..', 'data');
    let db = await openDatabase({ dataDir, memoryTemplate: false });
    await db.rows(sql`create table kept (v integer); insert into kept values (7)`);
    await db.close();
    db = await openDatabase({ dataDir, memoryTemplate: false });
    expect(await db.rows(sql`select v from kept`)).toEqual([{ v: 7 }]);
    await db.close();
  }, 60_000);

  it('loads the template into a new, empty data directory, then migrates it', async () => {
    // A template with a table of its own, which initdb and the migrations would not make.
    const source = await PgliteThread.start({ dataDir: null, template: null });
    await source.exec('create table from_template (v integer); insert into from_template values (1)');
    const marked = await source.dump();
    await source.close();
    await cachedTemplate(async () => marked);
    // A fresh copy of the module: this worker's earlier files may have kept a template in memory.
    vi.resetModules();
    const fresh = (await import('./open-database.js')) as typeof import('./open-database.js');
    const dataDir = join(dir, '..', 'data');
    const db = await fresh.openDatabase({ dataDir, memoryTemplate: false });
    expect(await db.rows(sql`select v from from_template`)).toEqual([{ v: 1 }]);
    expect(await db.rows(sql`select count(*)::int as n from careos_migrations`)).toEqual([{ n: migrationCount() }]);
    await db.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  }, 60_000);

  it('forgets a template that fails to load and makes the database by initdb instead', async () => {
    // Right where a tar header says so, and nothing PGlite can load.
    await cachedTemplate(async () => fakeTar(9));
    // A fresh copy of the module: this worker's earlier files may have kept a good template in memory.
    vi.resetModules();
    const fresh = (await import('./open-database.js')) as typeof import('./open-database.js');
    const db = await fresh.openDatabase({ memoryTemplate: false });
    expect(await db.rows(sql`select count(*)::int as n from careos_migrations`)).toEqual([{ n: migrationCount() }]);
    await db.close();
    expect(files()).toHaveLength(0);
  }, 60_000);
});
