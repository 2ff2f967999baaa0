import { sql, type SQL } from 'drizzle-orm';
import { GENESIS_HASH } from './audit-chain.js';

/** The advisory lock that serialises appends to the audit chain on PostgreSQL (see `AuditService`). */
export const AUDIT_CHAIN_LOCK = 'careos.audit_log';

/**
 * Common table expressions that append rows to the audit chain from inside a larger statement
 * (which must start `with recursive`), so a change and the audit rows recording it are one
 * statement. `source` names an earlier CTE with one row per audit row: `n` (1, 2, … in chain
 * order) and `chain_suffix`, the row as `chainSuffix()` encodes it in JavaScript. The columns
 * stored are read back from that suffix, so what is stored is what was hashed.
 *
 * The statement reads the chain's tail and links each row to the one before it, hashing
 * `["<prev_hash>",<seq>,` + `chain_suffix` with the database's `sha256`: the same bytes
 * `chainHash` hashes (JSON.stringify wrote the suffix; a hex hash and an integer need no
 * escaping), so `careos audit verify` checks these rows like any other. The recursion and the
 * insert index arrays rather than join the source, which the planner (estimating a CTE at one
 * row) would turn into nested loops; the arrays are `materialized`, or PostgreSQL inlines a CTE
 * used once and aggregates it again for every row (quadratic in the batch).
 *
 * The tail is read in the statement's snapshot, so appends must be serialised around it: on
 * PostgreSQL the caller takes {@link AUDIT_CHAIN_LOCK} in an earlier statement of the same
 * transaction (a lock taken inside this statement would come after its snapshot); PGlite runs
 * one statement at a time. The unique index on `seq` backs this up.
 *
 * Defines `audit_appended` (the inserted rows' `id`).
 */
export function appendAuditChainCtes(source: string): SQL {
  const from = sql.raw(source);
  return sql`
    audit_tail as (
      select seq, hash from (
        (select seq, hash from audit_log order by audit_log.seq desc limit 1)
        union all
        select 0::bigint, ${GENESIS_HASH}::text
      ) t order by seq desc limit 1
    ), audit_suffixes as materialized (
      select coalesce(array_agg(chain_suffix order by n), '{}'::text[]) as suffixes from ${from}
    ), audit_links(n, seq, prev_hash, hash) as (
      select 0, seq, null::text, hash from audit_tail
      union all
      select l.n + 1, l.seq + 1, l.hash,
             encode(sha256(convert_to('["' || l.hash || '",' || (l.seq + 1)::text || ',' || x.suffixes[l.n + 1], 'UTF8')), 'hex')
        from audit_links l cross join audit_suffixes x
       where l.n < cardinality(x.suffixes)
    ), audit_linked as materialized (
      select array_agg(seq order by n) as seqs, array_agg(prev_hash order by n) as prevs, array_agg(hash order by n) as hashes
        from audit_links where n > 0
    ), audit_appended as (
      insert into audit_log (seq, id, actor_type, actor_id, partner_id, on_behalf_of, method, route, subject_type, subject_id, status, ip,
                             request_id, created_at, prev_hash, hash)
      -- The suffix's fields, in chainSuffix's order: id, actor_type, actor_id, partner_id,
      -- on_behalf_of, method, route, subject_type, subject_id, status, ip, request_id, created_at.
      -- OFFSET 0 keeps the suffix parsed once per row: pulled up, the cast would be repeated
      -- for each of the thirteen fields (measured: most of the insert's time).
      select k.seqs[s.n], f->>0, f->>1, f->>2, f->>3, f->>4, f->>5, f->>6, f->>7, f->>8, (f->>9)::integer, f->>10, f->>11,
             (f->>12)::timestamptz, k.prevs[s.n], k.hashes[s.n]
        from ${from} s cross join audit_linked k cross join lateral (select ('[' || s.chain_suffix)::jsonb as f offset 0) j
      returning id
    )`;
}
