import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
// The contrib extension the migrations create, as the server's database thread loads it.
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrationsFolder } from '../src/db/migrate.js';
import { ChainVerifier, type ChainedRow } from '../src/services/audit-chain.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';

/** Audit rows as they were written before the chain: odd characters and nulls included. */
const LEGACY = [
  `('aud_01legacy0000000000000000a', 'staff', 'staff_1', null, null, 'POST', '/admin/partners', null, null, 201, '::ffff:127.0.0.1', 'req-1', '2026-03-01T10:00:00.123Z')`,
  `('aud_01legacy0000000000000000b', 'anonymous', null, null, null, 'GET', '/api/leads/{leadId}', 'user', 'usr_"quoted"\\back', 401, null, 'req-2', '2026-03-01T10:00:01Z')`,
  `('aud_01legacy0000000000000000c', 'integration', 'ikey_1', 'ip_1', 'thérapeute-ü', 'GET', '/api/integration/clients/{clientId}/progress', 'client', 'cli_1', 200, '10.0.0.1', 'req-3', '2026-03-01T10:00:02.5+02:00')`,
];

/** A copy of the migrations folder, cut just before the audit chain migration (or whole). */
function migrationsUpTo(folder: string, withChain: boolean): void {
  const source = migrationsFolder();
  cpSync(source, folder, { recursive: true });
  const journal = JSON.parse(readFileSync(join(source, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag.endsWith('_audit_chain'));
  expect(cut).toBeGreaterThan(0);
  if (!withChain) journal.entries = journal.entries.slice(0, cut);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
}

describe.each(backendNames())('audit chain migration (%s)', (backendName) => {
  const dirs: string[] = [];
  let backend: TestBackend | undefined;
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await backend?.dispose();
  });

  it('chains the rows written before it, with the encoding the server verifies, and makes them append-only', async () => {
    let orm: ReturnType<typeof drizzlePglite> | ReturnType<typeof drizzlePostgres>;
    let migrate: (folder: string) => Promise<void>;
    let close: () => Promise<void>;
    if (backendName === 'pglite') {
      const client = new PGlite({ extensions: { btree_gist } });
      const db = drizzlePglite({ client });
      orm = db;
      migrate = (folder) => migratePglite(db, { migrationsFolder: folder, ...MIGRATIONS });
      close = () => client.close();
    } else {
      backend = await createBackend('postgres');
      const client = postgres(backend.databaseUrl!, { max: 1, onnotice: () => {} });
      const db = drizzlePostgres({ client });
      orm = db;
      migrate = (folder) => migratePostgres(db, { migrationsFolder: folder, ...MIGRATIONS });
      close = () => client.end({ timeout: 5 });
    }
    try {
      const before = mkdtempSync(join(tmpdir(), 'careos-mig-'));
      const after = mkdtempSync(join(tmpdir(), 'careos-mig-'));
      dirs.push(before, after);
      migrationsUpTo(before, false);
      migrationsUpTo(after, true);
      await migrate(before);
      await orm.execute(
        sql.raw(
          `insert into audit_log (id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at) values ${LEGACY.join(', ')}`,
        ),
      );
      await migrate(after);

      const result = await orm.execute(
        sql.raw(`select seq::int as seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id,
                        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, prev_hash, hash
                   from audit_log order by audit_log.seq`),
      );
      const rows = ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as ChainedRow[];
      expect(rows.map((r) => [r.seq, r.id.slice(-1), r.created_at])).toEqual([
        [1, 'a', '2026-03-01T10:00:00.123Z'],
        [2, 'b', '2026-03-01T10:00:01.000Z'],
        [3, 'c', '2026-03-01T08:00:02.500Z'],
      ]);
      const verifier = new ChainVerifier();
      verifier.check(rows.map((r) => ({ ...r, seq: Number(r.seq), status: Number(r.status) })));
      expect(verifier.result()).toEqual({ ok: true, rows_checked: 3, head: { seq: 3, hash: rows[2]!.hash } });
      await expect(orm.execute(sql.raw('delete from audit_log'))).rejects.toThrow();
    } finally {
      await close();
    }
  });
});
