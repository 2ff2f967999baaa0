import type { AuditRecord, AuditVerifyResponse } from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import type { RawRunner } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { Batcher } from '../workers/batcher.js';
import { AUDIT_CHAIN_LOCK } from './audit-chain-sql.js';
import { ChainVerifier, GENESIS_HASH, linkRows, type ChainedRow, type ChainFields } from './audit-chain.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import type { ServiceContext } from './context.js';

/**
 * One audited action (DESIGN §4.10): an HTTP call, or a privileged action outside HTTP (a
 * worker's run, a maintenance command). Carries ids and metadata only, never PHI, phone
 * numbers, emails, names, bodies or URLs.
 */
export interface AuditEntry {
  /** `system` for work no person or credential started (a worker, a maintenance command). */
  actorType: 'partner' | 'staff' | 'integration' | 'lookup' | 'system' | 'anonymous';
  actorId: string | null;
  partnerId: string | null;
  /** Integration calls: the therapist the token acts for. */
  onBehalfOf?: string | null;
  /** HTTP method, or a verb naming a non-HTTP action (e.g. `RUN`). */
  method: string;
  /** Route template, not the concrete URL (which may carry identifiers); or the action's name, e.g. `worker:payouts`. */
  route: string;
  subjectType: string | null;
  subjectId: string | null;
  status: number;
  ip: string | null;
  /** The request id, or any id correlating a non-HTTP action with its logs. */
  requestId: string;
}

/** Options of {@link AuditService.list}. */
export interface AuditListOptions {
  limit: number;
  cursor?: string | undefined;
  actorId?: string | undefined;
  subjectId?: string | undefined;
}

/** An audit row before it has a place in the chain. */
export type PendingRow = Omit<ChainFields, 'seq'>;

/** The row an entry becomes, with a new id and `now` as its time. */
export function auditRow(entry: AuditEntry, now: Date): PendingRow {
  return {
    id: newId('aud', now),
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    partner_id: entry.partnerId,
    on_behalf_of: entry.onBehalfOf ?? null,
    method: entry.method,
    route: entry.route,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    status: entry.status,
    ip: entry.ip,
    request_id: entry.requestId,
    created_at: now.toISOString(),
  };
}

/** Columns as the chain encodes them (`created_at` in ISO 8601 UTC with milliseconds, `seq` as text). */
const CHAIN_COLUMNS = sql.raw(
  `seq::text as seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, ` +
    `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, prev_hash, hash`,
);

/**
 * How long a batch that is not full waits for more rows. On PGlite each statement has a fixed
 * cost on the one database thread, and at thousands of lookups a second batches cut at every
 * turn of the event loop held a handful of rows each; waiting this long makes them hold
 * hundreds. Rows are off the request path either way; this is how much later they land.
 */
const LINGER_MS = 20;

/** Rows fetched per page when verifying: bounded memory whatever the table's size. */
const VERIFY_PAGE_SIZE = 2000;

/** What the audit service needs: a script can build it from an opened database alone. */
export interface AuditServiceDeps {
  readonly db: ServiceContext['db'];
  readonly clock: ServiceContext['clock'];
  readonly logger: ServiceContext['logger'];
}

function toChained(row: Record<string, unknown>): ChainedRow {
  return { ...(row as unknown as ChainedRow), seq: Number(row.seq), status: Number(row.status) };
}

/**
 * The audit trail: rows written off the request path in batches (group commit), appended to a
 * hash chain, and read back or verified for admins.
 *
 * Appending is serialised per database so the chain has one order however many instances
 * write: on PostgreSQL each batch takes a transaction-scoped advisory lock, then inserts after
 * the tail it remembers — checked in the same statement — or, when another instance appended
 * meanwhile, after the tail it reads. On PGlite (one process) the checked insert is atomic on
 * its own. A unique index on `seq` backs this up: two rows can never claim one place.
 */
export class AuditService {
  readonly #writer: Batcher<PendingRow, void>;
  /** The last row this instance appended or read: the next batch links to it without a read. */
  #tail: { seq: number; hash: string } | null = null;

  constructor(private readonly ctx: AuditServiceDeps) {
    this.#writer = new Batcher({
      maxBatch: 500,
      // A batch that is not full waits a little for more rows (see LINGER_MS).
      upcoming: () => 1,
      maxWaitMs: LINGER_MS,
      run: async (rows) => {
        await this.#append(rows);
        return rows.map(() => undefined);
      },
    });
  }

  /** Records an action, off the caller's path; failures are logged, never thrown at the caller. */
  record(entry: AuditEntry): void {
    this.#writer.submit(this.#row(entry)).catch((error: unknown) => {
      this.ctx.logger.error({ req_id: entry.requestId, route: entry.route, err_message: (error as Error).message }, 'audit write failed');
    });
  }

  /**
   * Records an action and waits until its row is written; throws if it cannot be. For work
   * that must not go on unaudited (e.g. a maintenance command before it changes anything).
   */
  write(entry: AuditEntry): Promise<void> {
    return this.#writer.submit(this.#row(entry));
  }

  /**
   * Appends entries inside the caller's transaction, so they commit — or roll back — with the
   * change they record (a message queued and its `SMS_SENT` row). Holds the chain's lock (on
   * PostgreSQL) until that transaction ends. Returns the rows' ids, in order.
   *
   * The tail of an uncommitted transaction is never remembered: a rollback would leave this
   * instance linking its next batch to a row that does not exist.
   */
  async appendWithin(run: RawRunner, entries: AuditEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    this.#tail = null;
    const rows = entries.map((entry) => this.#row(entry));
    if (this.ctx.db.kind === 'postgres') await run(sql`select pg_advisory_xact_lock(hashtextextended(${AUDIT_CHAIN_LOCK}, 0))`);
    const [last] = await run<{ seq: string; hash: string }>(sql`select seq::text as seq, hash from audit_log order by audit_log.seq desc limit 1`);
    const tail = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    const linked = linkRows(rows, tail);
    await run(sql`
      insert into audit_log (seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at, prev_hash, hash)
      select seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at, prev_hash, hash
        from jsonb_to_recordset(${JSON.stringify(linked)}::jsonb) as x(
          seq bigint, id text, actor_type text, actor_id text, partner_id text, on_behalf_of text, method text, route text, subject_type text,
          subject_id text, status integer, ip text, request_id text, created_at timestamptz, prev_hash text, hash text)`);
    this.#tail = null;
    return rows.map((r) => r.id);
  }

  /**
   * Tells the service that rows were appended to the chain by a statement of its own (the lead
   * batch's welcomes): its remembered tail is stale. Only saves a statement — an append after a
   * stale tail inserts nothing and reads the tail again.
   */
  forgetTail(): void {
    this.#tail = null;
  }

  /** Entries waiting or being written. */
  get busy(): boolean {
    return this.#writer.busy;
  }

  /** Waits until every recorded entry is in the database. */
  flush(): Promise<void> {
    return this.#writer.drain();
  }

  /** A page of rows, newest first, optionally only one actor's or one subject's. */
  async list(options: AuditListOptions): Promise<{ entries: AuditRecord[]; nextCursor: string | null }> {
    const before = options.cursor === undefined ? null : decodeAuditCursor(options.cursor);
    const conditions: SQL[] = [sql`true`];
    if (before !== null) conditions.push(sql`seq < ${before}`);
    if (options.actorId !== undefined) conditions.push(sql`actor_id = ${options.actorId}`);
    if (options.subjectId !== undefined) conditions.push(sql`subject_id = ${options.subjectId}`);
    const rows = await this.ctx.db.rows(
      sql`select ${CHAIN_COLUMNS} from audit_log where ${sql.join(conditions, sql` and `)} order by audit_log.seq desc limit ${options.limit + 1}`,
    );
    const entries = rows.slice(0, options.limit).map(toChained);
    return { entries, nextCursor: rows.length > options.limit ? encodeAuditCursor(entries.at(-1)!.seq) : null };
  }

  /**
   * Walks the whole chain in `seq` order, a page at a time, recomputing every hash; reports
   * the first broken link. Rows appended during the walk are checked too.
   */
  async verifyChain(options: { pageSize?: number } = {}): Promise<AuditVerifyResponse> {
    const pageSize = options.pageSize ?? VERIFY_PAGE_SIZE;
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = (await this.ctx.db.rows(sql`select ${CHAIN_COLUMNS} from audit_log where seq > ${after} order by audit_log.seq limit ${pageSize}`)).map(toChained);
      if (!verifier.check(rows) || rows.length < pageSize) break;
      after = rows.at(-1)!.seq;
    }
    return verifier.result();
  }

  #row(entry: AuditEntry): PendingRow {
    return auditRow(entry, this.ctx.clock.now());
  }

  async #append(rows: PendingRow[]): Promise<void> {
    const { db } = this.ctx;
    try {
      if (db.kind === 'pglite' && this.#tail && (await this.#insertAfter((query) => db.rows(query), rows, this.#tail))) return;
      await db.transaction(async (run) => {
        if (db.kind === 'postgres') {
          await run(sql`select pg_advisory_xact_lock(hashtextextended(${AUDIT_CHAIN_LOCK}, 0))`);
          if (this.#tail && (await this.#insertAfter(run, rows, this.#tail))) return;
        }
        const [last] = await run<{ seq: string; hash: string }>(sql`select seq::text as seq, hash from audit_log order by audit_log.seq desc limit 1`);
        const tail = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
        if (!(await this.#insertAfter(run, rows, tail))) throw new Error('The audit chain moved while its tail was locked');
      });
    } catch (error) {
      this.#tail = null;
      throw error;
    }
  }

  /**
   * Inserts `rows` linked after `tail`, in one statement that inserts nothing unless `tail` is
   * still the last row. Returns whether it inserted, and remembers the new tail if so.
   */
  async #insertAfter(run: RawRunner, rows: PendingRow[], tail: { seq: number; hash: string }): Promise<boolean> {
    const linked = linkRows(rows, tail);
    const [result] = await run<{ n: number }>(sql`
      with inserted as (
        insert into audit_log (seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at, prev_hash, hash)
        select seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at, prev_hash, hash
          from jsonb_to_recordset(${JSON.stringify(linked)}::jsonb) as x(
            seq bigint, id text, actor_type text, actor_id text, partner_id text, on_behalf_of text, method text, route text, subject_type text,
            subject_id text, status integer, ip text, request_id text, created_at timestamptz, prev_hash text, hash text)
         where coalesce((select max(seq) from audit_log), 0) = ${tail.seq}
        returning 1)
      select count(*)::int as n from inserted`);
    if (Number(result?.n ?? 0) === 0) return false;
    const last = linked.at(-1)!;
    this.#tail = { seq: last.seq, hash: last.hash };
    return true;
  }
}
