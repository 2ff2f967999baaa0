import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { sql } from 'drizzle-orm';
import { auditRow, type AuditEntry } from '../src/services/audit.js';
import { chainHash, chainSuffix, GENESIS_HASH } from '../src/services/audit-chain.js';
import { appendAuditChainCtes, AUDIT_CHAIN_LOCK } from '../src/services/audit-chain-sql.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();

const entry = (requestId: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actorType: 'system',
  actorId: null,
  partnerId: null,
  method: 'RUN',
  route: 'test:chain',
  subjectType: null,
  subjectId: null,
  status: 200,
  ip: null,
  requestId,
  ...extra,
});

/** Runs SQL with the append-only triggers off, as someone with direct access to the database could. */
async function asAttacker(db: Database, statement: string): Promise<void> {
  await query(db, 'alter table audit_log disable trigger all');
  try {
    await query(db, statement);
  } finally {
    await query(db, 'alter table audit_log enable trigger all');
  }
}

/** Rows `from`–`to` as the chain encodes them. */
function chainRows(db: Database, from: number, to: number): Promise<Record<string, unknown>[]> {
  return query<Record<string, unknown>>(
    db,
    `select seq::int as seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, prev_hash, hash
       from audit_log where seq between ${from} and ${to} order by audit_log.seq`,
  );
}

describe.each(backendNames())('audit hash chain (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let second: Database;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    // PostgreSQL: a second connection pool, as a second server process would have. PGlite: the same database.
    second = await backend.open();
    one = await startApp({ db, env: testEnv({ keys }) });
    two = await startApp({ db: second, env: testEnv({ keys }) });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await backend?.dispose();
  });

  it('keeps one gap-free chain while two app instances append at once', async () => {
    // Each round both instances write a batch at the same time; each then finds its remembered tail stale.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 30; i++) {
        one.app.services.audit.record(entry(`conc-one-${round}-${i}`));
        two.app.services.audit.record(entry(`conc-two-${round}-${i}`));
      }
      await Promise.all([one.app.flush(), two.app.flush()]);
    }
    const [stats] = await query<{ n: number; min: string; max: string; by_two: number }>(
      db,
      "select count(*)::int as n, min(seq)::text as min, max(seq)::text as max, count(*) filter (where request_id like 'conc-two-%')::int as by_two from audit_log",
    );
    expect(stats).toEqual({ n: 600, min: '1', max: '600', by_two: 300 });
    // The two instances' batches did interleave: the chain switches writer more than once.
    const order = await query<{ request_id: string }>(db, 'select request_id from audit_log order by audit_log.seq');
    const switches = order.filter((row, i) => i > 0 && row.request_id.slice(0, 8) !== order[i - 1]!.request_id.slice(0, 8)).length;
    expect(switches).toBeGreaterThan(2);
    expect(await one.app.services.audit.verifyChain()).toEqual({ ok: true, rows_checked: 600, head: { seq: 600, hash: expect.any(String) } });
  });

  it('links each row to the one before with the documented encoding', async () => {
    const rows = await chainRows(db, 1, 2);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    for (const row of rows) expect(chainHash(row.prev_hash as string, row as never)).toBe(row.hash);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    for (const statement of ['update audit_log set status = 500 where seq = 1', 'delete from audit_log where seq = 1', 'truncate audit_log']) {
      const error = await query(db, statement).then(() => null, (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`);
      expect(error, statement).toMatch(/audit_log is append-only/);
    }
    expect((await one.app.services.audit.verifyChain()).ok).toBe(true);
  });

  it('reports exactly the row edited behind the trigger’s back, page after page, and is whole again once it is put back', async () => {
    const [target] = await query<{ id: string; status: number }>(db, 'select id, status from audit_log where seq = 437');
    await asAttacker(db, `update audit_log set status = 403 where seq = 437`);
    const broken = await one.app.services.audit.verifyChain({ pageSize: 50 });
    expect(broken).toEqual({
      ok: false,
      rows_checked: 437,
      head: { seq: 436, hash: expect.any(String) },
      first_broken: { seq: 437, id: target!.id, reason: 'hash_mismatch', message: expect.any(String) },
    });

    // Rehashing the edited row moves the break to the next row, which no longer follows it.
    const [edited] = await chainRows(db, 437, 437);
    await asAttacker(db, `update audit_log set hash = '${chainHash(edited!.prev_hash as string, edited as never)}' where seq = 437`);
    expect((await one.app.services.audit.verifyChain()).first_broken).toEqual(expect.objectContaining({ seq: 438, reason: 'prev_hash_mismatch' }));

    const [original] = await query<{ hash: string }>(db, 'select prev_hash as hash from audit_log where seq = 438');
    await asAttacker(db, `update audit_log set status = ${Number(target!.status)}, hash = '${original!.hash}' where seq = 437`);
    expect((await one.app.services.audit.verifyChain()).ok).toBe(true);
  });

  it('reports a deleted row as a gap, and new rows still chain after the tail', async () => {
    const [removed] = await query<Record<string, unknown>>(db, 'select * from audit_log where seq = 12');
    await asAttacker(db, 'delete from audit_log where seq = 12');
    expect((await one.app.services.audit.verifyChain()).first_broken).toEqual(expect.objectContaining({ seq: 13, reason: 'seq_gap' }));
    const columns = Object.keys(removed!);
    const literal = (v: unknown) => (v === null ? 'null' : `'${(v instanceof Date ? v.toISOString() : String(v)).replaceAll("'", "''")}'`);
    await asAttacker(db, `insert into audit_log (${columns.join(', ')}) values (${columns.map((c) => literal(removed![c])).join(', ')})`);

    two.app.services.audit.record(entry('after-repair'));
    one.app.services.audit.record(entry('after-repair-2'));
    await Promise.all([one.app.flush(), two.app.flush()]);
    expect(await two.app.services.audit.verifyChain()).toEqual(expect.objectContaining({ ok: true, rows_checked: 602 }));
  });

  it('stays one intact chain while both instances ingest leads (welcomes audited in their batches) and record other rows at once', async () => {
    const [before] = await query<{ n: number }>(db, 'select count(*)::int as n from audit_log');
    const ingest = (app: TestApp) => call(app.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys }), headers: partnerHeaders() });
    const requests: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 20; i++) {
      requests.push(ingest(one), ingest(two));
      one.app.services.audit.record(entry(`mixed-one-${i}`));
      two.app.services.audit.record(entry(`mixed-two-${i}`));
    }
    expect((await Promise.all(requests)).map((r) => r.status)).toEqual(requests.map(() => 200));
    await Promise.all([one.app.flush(), two.app.flush()]);
    const [after] = await query<{ n: number; welcomes: number }>(
      db,
      "select count(*)::int as n, count(*) filter (where method = 'SMS_SENT' and route = 'automation:welcome')::int as welcomes from audit_log",
    );
    // 40 leads: a welcome's SMS_SENT row and the request's own row each, plus the 40 recorded rows.
    expect(after!.welcomes).toBe(40);
    expect(after!.n - before!.n).toBe(40 * 3);
    expect(await one.app.services.audit.verifyChain()).toEqual({ ok: true, rows_checked: after!.n, head: { seq: after!.n, hash: expect.any(String) } });
  });

  it('links rows appended from inside a statement (hashed by the database) exactly as the verifier hashes them, whatever their text', async () => {
    // Text JSON escapes (quotes, backslashes, control characters), text it does not (non-ASCII), nulls.
    const entries = [
      entry('in-statement "quoted" \\ back\\slash', { ip: '::ffff:127.0.0.1', subjectType: 'contact', subjectId: 'user_\u0001\t\n' }),
      entry('in-statement é ü 日本 🙂 \u2028', { actorType: 'staff', actorId: 'stf_1', partnerId: 'ptn_1', onBehalfOf: 'stf_2', status: 201 }),
      entry('in-statement', { route: 'automation:welcome', method: 'SMS_SENT' }),
    ];
    const rows = entries.map((e) => auditRow(e, new Date()));
    const source = JSON.stringify(rows.map((row, i) => ({ n: i + 1, chain_suffix: chainSuffix(row) })));
    const statement = sql`with recursive src as (select * from jsonb_to_recordset(${source}::jsonb) as x(n integer, chain_suffix text)),
      ${appendAuditChainCtes('src')} select count(*)::int as n from audit_appended`;
    const [appended] = await db.transaction(async (run) => {
      if (db.kind === 'postgres') await run(sql`select pg_advisory_xact_lock(hashtextextended(${AUDIT_CHAIN_LOCK}, 0))`);
      return run<{ n: number }>(statement);
    });
    expect(Number(appended!.n)).toBe(3);
    const [tail] = await query<{ seq: number }>(db, 'select max(seq)::int as seq from audit_log');
    const stored = await chainRows(db, tail!.seq - 2, tail!.seq);
    expect(stored.map(({ seq, prev_hash, hash, ...fields }) => ({ ...fields, status: Number(fields.status) }))).toEqual(rows);
    for (const row of stored) expect(chainHash(row.prev_hash as string, row as never)).toBe(row.hash);
    expect((await one.app.services.audit.verifyChain()).ok).toBe(true);
  });
});
