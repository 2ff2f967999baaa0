import { sql } from 'drizzle-orm';
import { newId } from '../domain/ids.js';
import { Batcher } from '../workers/batcher.js';
import type { ServiceContext } from './context.js';

/** One audited call (DESIGN §4.10). Carries ids and metadata only, never PHI or phone numbers. */
export interface AuditEntry {
  actorType: 'partner' | 'staff' | 'integration' | 'lookup' | 'anonymous';
  actorId: string | null;
  partnerId: string | null;
  /** Integration calls: the therapist the token acts for. */
  onBehalfOf?: string | null;
  method: string;
  /** Route template, not the concrete URL (which may carry identifiers). */
  route: string;
  subjectType: string | null;
  subjectId: string | null;
  status: number;
  ip: string | null;
  requestId: string;
}

interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  partner_id: string | null;
  on_behalf_of: string | null;
  method: string;
  route: string;
  subject_type: string | null;
  subject_id: string | null;
  status: number;
  ip: string | null;
  request_id: string;
  created_at: string;
}

/**
 * Writes audit rows off the request path, grouped: all the calls that finish while one
 * insert runs go into the next multi-row insert. `flush()` waits for everything recorded.
 */
export class AuditService {
  readonly #writer: Batcher<AuditRow, void>;

  constructor(private readonly ctx: ServiceContext) {
    this.#writer = new Batcher({
      maxBatch: 500,
      run: async (rows) => {
        await ctx.db.rows(sql`
          insert into audit_log (id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at)
          select id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at
            from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
              id text, actor_type text, actor_id text, partner_id text, on_behalf_of text, method text, route text, subject_type text,
              subject_id text, status integer, ip text, request_id text, created_at timestamptz)`);
        return rows.map(() => undefined);
      },
    });
  }

  /** Records a call; failures are logged, never thrown at the caller. */
  record(entry: AuditEntry): void {
    const now = this.ctx.clock.now();
    const row: AuditRow = {
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
    this.#writer.submit(row).catch((error: unknown) => {
      this.ctx.logger.error({ req_id: entry.requestId, route: entry.route, err_message: (error as Error).message }, 'audit write failed');
    });
  }

  /** Entries waiting or being written. */
  get busy(): boolean {
    return this.#writer.busy;
  }

  /** Waits until every recorded entry is in the database. */
  flush(): Promise<void> {
    return this.#writer.drain();
  }
}
