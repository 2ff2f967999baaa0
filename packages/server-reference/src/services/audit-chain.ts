import { hash } from 'node:crypto';
import type { AuditVerifyResponse } from '@careos/contract';

/** `prev_hash` of the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row the hash covers, as stored (timestamps as ISO 8601 UTC with milliseconds). */
export interface ChainFields {
  seq: number;
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
  /** `YYYY-MM-DDTHH:mm:ss.sssZ`, exactly as `Date.prototype.toISOString()` writes it. */
  created_at: string;
}

/** A row with its place in the chain. */
export interface ChainedRow extends ChainFields {
  prev_hash: string;
  hash: string;
}

/**
 * The exact bytes a row's hash covers: the compact JSON array (no spaces, as `JSON.stringify`
 * writes it, UTF-8) of `prev_hash` then the row's fields in this fixed order. Numbers are
 * integers, absent values `null`. An auditor recomputes it with any JSON library, e.g.
 * `jq -cj '[.prev_hash,.seq,.id,.actor_type,.actor_id,.partner_id,.on_behalf_of,.method,.route,.subject_type,.subject_id,.status,.ip,.request_id,.created_at]' | sha256sum`
 * on a row from `GET /admin/audit`.
 */
export function canonicalEncoding(prevHash: string, row: ChainFields): string {
  return `${chainPrefix(prevHash, row.seq)}${chainSuffix(row)}`;
}

/** The start of {@link canonicalEncoding}: `["<prev_hash>",<seq>,`. */
export function chainPrefix(prevHash: string, seq: number): string {
  return `${JSON.stringify([prevHash, seq]).slice(0, -1)},`;
}

/**
 * The rest of {@link canonicalEncoding}, after `seq`: the row's own fields and the closing
 * bracket. It does not depend on the row's place in the chain, so a statement that appends
 * rows can be handed it ready-made and only prepend `["<prev_hash>",<seq>,` once it knows the
 * tail (see `audit-chain-sql.ts`); the bytes are JSON.stringify's either way.
 */
export function chainSuffix(row: Omit<ChainFields, 'seq'>): string {
  return JSON.stringify([
    row.id,
    row.actor_type,
    row.actor_id,
    row.partner_id,
    row.on_behalf_of,
    row.method,
    row.route,
    row.subject_type,
    row.subject_id,
    row.status,
    row.ip,
    row.request_id,
    row.created_at,
  ]).slice(1);
}

/** Hex SHA-256 of {@link canonicalEncoding}. One-shot `hash`: no Hash object per audit row. */
export function chainHash(prevHash: string, row: ChainFields): string {
  return hash('sha256', canonicalEncoding(prevHash, row), 'hex');
}

/** Gives rows consecutive `seq` numbers after `tail` and links each to the one before. */
export function linkRows<T extends Omit<ChainFields, 'seq'>>(rows: readonly T[], tail: { seq: number; hash: string }): (T & { seq: number; prev_hash: string; hash: string })[] {
  let { seq, hash } = tail;
  return rows.map((row) => {
    const linked = { ...row, seq: seq + 1, prev_hash: hash, hash: '' };
    linked.hash = chainHash(hash, linked);
    ({ seq, hash } = linked);
    return linked;
  });
}

/**
 * Checks the chain one page at a time, in `seq` order, remembering only the last row: memory
 * stays bounded whatever the table's size. Stops at the first broken link.
 */
export class ChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #checked = 0;
  #broken: AuditVerifyResponse['first_broken'];
  #head: { seq: number; hash: string } | null = null;

  /** Checks the next rows (consecutive, by `seq`); returns false once the chain is broken. */
  check(rows: readonly ChainedRow[]): boolean {
    for (const row of rows) {
      if (this.#broken) return false;
      this.#checked += 1;
      const where = { seq: row.seq, id: row.id };
      if (row.seq !== this.#expectedSeq) {
        this.#broken = { ...where, reason: 'seq_gap', message: `Rows ${this.#expectedSeq}–${row.seq - 1} are missing before row ${row.seq}` };
      } else if (row.prev_hash !== this.#prevHash) {
        this.#broken = { ...where, reason: 'prev_hash_mismatch', message: `prev_hash does not match the hash of row ${row.seq - 1}` };
      } else if (chainHash(row.prev_hash, row) !== row.hash) {
        this.#broken = { ...where, reason: 'hash_mismatch', message: 'The row’s fields do not match its hash: it was changed after it was written' };
      } else {
        this.#expectedSeq = row.seq + 1;
        this.#prevHash = row.hash;
        this.#head = { seq: row.seq, hash: row.hash };
      }
    }
    return !this.#broken;
  }

  /** Where the walk stands: `head` is the last intact row. */
  result(): AuditVerifyResponse {
    return { ok: !this.#broken, rows_checked: this.#checked, head: this.#head, ...(this.#broken ? { first_broken: this.#broken } : {}) };
  }
}
