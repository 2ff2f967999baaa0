import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PgliteThread } from './pglite-thread.js';

describe('PGlite in its own thread', () => {
  let db: PgliteThread;

  beforeAll(async () => {
    db = await PgliteThread.start({ dataDir: null, template: null });
    await db.exec('create table notes (id int primary key, body text not null, at timestamptz not null default now())');
  });
  afterAll(() => db.close());

  it('runs parameterised queries and multi-statement text, with PGlite’s default type parsing', async () => {
    await db.query('insert into notes (id, body) values ($1, $2)', [1, 'first']);
    const { rows } = await db.query<{ id: number; body: string; at: unknown }>('select id, body, at from notes where id = $1', [1]);
    expect(rows).toEqual([{ id: 1, body: 'first', at: expect.any(Date) }]);
    const results = await db.exec("select 1 as one; select 'two' as two");
    expect(results.map((r) => r.rows)).toEqual([[{ one: 1 }], [{ two: 'two' }]]);
  });

  it('applies the caller’s parsers in the calling thread, in array and object row modes', async () => {
    const parsers = { 1184: (value: string) => `parsed:${value.slice(0, 4)}` };
    const asArrays = await db.query<unknown[]>('select id, at from notes where id = 1', [], { rowMode: 'array', parsers });
    expect(asArrays.rows[0]).toEqual([1, expect.stringMatching(/^parsed:\d{4}$/)]);
    const asObjects = await db.query<{ at: string }>('select at from notes where id = 1', [], { parsers });
    expect(asObjects.rows[0]!.at).toMatch(/^parsed:\d{4}$/);
  });

  it('refuses options that cannot cross threads instead of ignoring them', async () => {
    await expect(db.query('select 1', [], { serializers: { 25: String } })).rejects.toThrow(/serializers are not supported/);
  });

  it('keeps PostgreSQL’s error fields', async () => {
    const error = await db.query('insert into notes (id, body) values (1, $1)', ['again']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'notes_pkey', message: expect.stringContaining('duplicate key') });
  });

  it('commits a transaction, and holds other statements back until it ends', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [2, 'in a transaction']);
      outside = db.query<{ n: number }>('select count(*)::int as n from notes').then((r) => {
        order.push(`outside saw ${r.rows[0]!.n}`);
      });
      await tx.exec("insert into notes (id, body) values (3, 'also')");
      order.push('transaction done');
    });
    await outside;
    expect(order).toEqual(['transaction done', 'outside saw 3']);
  });

  it('rolls a transaction back when its work throws, and the database goes on', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into notes (id, body) values (4, 'lost')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const failed = db.transaction(async (tx) => {
      await tx.query("insert into notes (id, body) values (5, 'lost too')");
      await tx.query("insert into notes (id, body) values (1, 'duplicate')");
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.query<{ id: number }>('select id from notes order by id');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('leaves the calling thread free while a statement runs', async () => {
    const events: string[] = [];
    const statement = db.exec('select count(*) from generate_series(1, 3000000)').then(() => events.push('statement'));
    await new Promise((resolve) => setTimeout(resolve, 1)).then(() => events.push('timer'));
    await statement;
    expect(events).toEqual(['timer', 'statement']);
  });

  it('dumps a database that a new thread can start from', async () => {
    const copy = await PgliteThread.start({ dataDir: null, template: await db.dump() });
    try {
      const { rows } = await copy.query<{ body: string }>('select body from notes where id = 1');
      expect(rows).toEqual([{ body: 'first' }]);
    } finally {
      await copy.close();
    }
  });

  it('keeps the write-ahead log bounded: checkpoints past its bound while writes go on, and the old segments go', { timeout: 60_000 }, async () => {
    const MiB = 1024 * 1024;
    const bound = 8 * MiB;
    const wal = await PgliteThread.start({ dataDir: null, template: await db.dump(), checkpointWalBytes: bound, checkpointCheckMs: 20 });
    try {
      const read = async () =>
        (
          await wal.query<{ since: string; written: string; kept: string }>(
            `select (pg_current_wal_insert_lsn() - (pg_control_checkpoint()).redo_lsn)::text as since,
                    (pg_current_wal_insert_lsn() - '0/0')::text as written, (select sum(size) from pg_ls_waldir())::text as kept`,
          )
        ).rows[0]!;
      await wal.exec('create table filler (id int primary key, body text not null)');
      const start = Number((await read()).written);
      for (let batch = 0; batch < 8; batch += 1) {
        // About 12 MiB of log each; the thread checkpoints before the log since the last one passes the bound for long.
        await wal.exec(`insert into filler select g, repeat(md5(g::text), 32) from generate_series(${batch * 10_000 + 1}, ${(batch + 1) * 10_000}) g`);
        await vi.waitFor(async () => expect(Number((await read()).since)).toBeLessThan(bound), { timeout: 10_000, interval: 10 });
      }
      const end = await read();
      // Over 80 MiB written, and no more than three 16 MiB segments kept: without the
      // checkpoints, every segment since the start would still be there.
      expect(Number(end.written) - start).toBeGreaterThan(80 * MiB);
      expect(Number(end.kept)).toBeLessThanOrEqual(48 * MiB);
      expect((await wal.query<{ n: number }>('select count(*)::int as n from filler')).rows[0]!.n).toBe(80_000);
    } finally {
      await wal.close();
    }
  });

  it('rejects a start that fails, and an error its discarded thread raises afterwards cannot end the process', async () => {
    // The threads discarded: a failed start terminates its own.
    const discarded: Worker[] = [];
    const originalTerminate = Worker.prototype.terminate;
    const terminate = vi.spyOn(Worker.prototype, 'terminate').mockImplementation(function (this: Worker) {
      discarded.push(this);
      return originalTerminate.call(this);
    });
    // A tar header where PGlite looks for one, and nothing it can load: PGlite answers with an error.
    const unloadable = new Uint8Array(1024).fill(9);
    unloadable.set(Buffer.from('ustar'), 257);
    try {
      await expect(PgliteThread.start({ dataDir: null, template: unloadable.buffer })).rejects.toThrow();
    } finally {
      terminate.mockRestore();
    }
    expect(discarded).toHaveLength(1);
    // What PGlite may raise while that thread stops: with no listener, emitting it would throw,
    // and in the real case end the process.
    expect(() => discarded[0]!.emit('error', new Error('a write rejected while the thread stops'))).not.toThrow();
  }, 60_000);

  it('rejects statements once closed', async () => {
    const other = await PgliteThread.start({ dataDir: null, template: await db.dump() });
    await other.close();
    await other.close();
    await expect(other.exec('select 1')).rejects.toThrow('The database is closed');
  });
});
