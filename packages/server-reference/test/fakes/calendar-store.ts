import type { LocalApiReply } from './local-api.js';

/** An event a fake calendar holds, in its provider's JSON (`id` always set). */
export type StoredJson = Record<string, unknown> & { id: string };

interface Entry {
  json: StoredJson;
  /** Change sequence number of its last change. */
  seq: number;
  deleted: boolean;
}

/** Where a pass is: what it lists (changes after `since`, or everything when null) and how far it got. */
export interface PassPosition {
  since: number | null;
  /** Sequence number when the pass started: its cursor. */
  snapshot: number;
  /** Ids are served in order; the next page starts after this one. */
  after: string;
  /** Anything else the provider keeps in its links (Graph: the window). */
  extra?: Record<string, unknown>;
}

/** A fault planned for a list request: `onPage` only strikes a request that continues a pass. */
interface PlannedListFault {
  reply: LocalApiReply;
  onPage: boolean;
}

/**
 * The bookkeeping the fake Google and Graph calendars share: events with a change sequence,
 * deletions remembered as tombstones, passes paged by id with the position in an opaque token,
 * cursors that can be expired (the next use is a 410, as the providers answer), and planned
 * faults on listing. A full pass answers what is live when each page is read and its cursor
 * is the sequence at its start, so a change during the pass comes again in the next one.
 */
export class FakeCalendarStore {
  readonly #events = new Map<string, Entry>();
  #seq = 0;
  /** Cursors below this are expired. */
  #validFrom = 0;
  readonly #faults: PlannedListFault[] = [];
  /** Items served by list requests, full and incremental (for "only the changes were fetched"). */
  served = { full: 0, incremental: 0 };
  /** Creates whose answer is still to be dropped ({@link dropNextCreateAnswer}). */
  #dropCreates = 0;

  /** The next create is carried out, then its connection closed before any answer (a lost answer, as after a timeout). */
  dropNextCreateAnswer(): void {
    this.#dropCreates++;
  }

  /** A create's answer: `reply`, or dropped when one was planned. */
  answerCreate(reply: LocalApiReply): LocalApiReply {
    if (this.#dropCreates === 0) return reply;
    this.#dropCreates--;
    return { ...reply, drop: true };
  }

  /** Inserts or replaces an event. */
  put(json: StoredJson): StoredJson {
    this.#events.set(json.id, { json, seq: ++this.#seq, deleted: false });
    return json;
  }

  /** Deletes an event (a tombstone for incremental passes); `false` when unknown or gone. */
  remove(id: string): boolean {
    const entry = this.#events.get(id);
    if (!entry || entry.deleted) return false;
    this.#events.set(id, { json: entry.json, seq: ++this.#seq, deleted: true });
    return true;
  }

  /** A live event. */
  get(id: string): StoredJson | undefined {
    const entry = this.#events.get(id);
    return entry && !entry.deleted ? entry.json : undefined;
  }

  /** Whether an event existed and was deleted. */
  wasDeleted(id: string): boolean {
    return this.#events.get(id)?.deleted === true;
  }

  /** Every live event. */
  live(): StoredJson[] {
    return [...this.#events.values()].filter((e) => !e.deleted).map((e) => e.json);
  }

  /** Forgets every event, tombstone, fault and count. */
  clear(): void {
    this.#events.clear();
    this.#faults.length = 0;
    this.#dropCreates = 0;
    this.served = { full: 0, incremental: 0 };
    this.#validFrom = ++this.#seq;
  }

  /** Every cursor issued so far stops working (the provider dropped its sync state). */
  expireCursors(): void {
    this.#validFrom = ++this.#seq;
  }

  /** Whether a cursor (a sequence number) is still honoured. */
  honours(since: number): boolean {
    return since >= this.#validFrom;
  }

  /** Plans `reply` for the next list request (or the next one continuing a pass). */
  planListFault(reply: LocalApiReply, options: { onPage?: boolean; times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.#faults.push({ reply, onPage: options.onPage ?? false });
  }

  /** The planned fault this request meets, if any. */
  takeFault(continuing: boolean): LocalApiReply | null {
    const index = this.#faults.findIndex((f) => !f.onPage || continuing);
    return index < 0 ? null : this.#faults.splice(index, 1)[0]!.reply;
  }

  /** A new pass from `since` (null: full). */
  start(since: number | null, extra?: Record<string, unknown>): PassPosition {
    return { since, snapshot: this.#seq, after: '', extra };
  }

  /**
   * One page of a pass: the entries after `position.after` in id order — for a full pass the
   * live ones (and `filter`), for an incremental one those changed since its cursor, tombstones
   * included — and the position of the next page, or null on the last.
   */
  page(position: PassPosition, size: number, filter: (json: StoredJson) => boolean = () => true): { items: { json: StoredJson; deleted: boolean }[]; next: PassPosition | null } {
    // An incremental pass looks only at what changed (as the provider's change log would).
    const since = position.since;
    const ids = [...this.#events]
      .filter(([id, entry]) => id > position.after && (since === null || entry.seq > since))
      .map(([id]) => id)
      .sort();
    const items: { json: StoredJson; deleted: boolean }[] = [];
    let last = position.after;
    for (const id of ids) {
      const entry = this.#events.get(id)!;
      last = id;
      const wanted = since === null ? !entry.deleted && filter(entry.json) : entry.deleted || filter(entry.json);
      if (!wanted) continue;
      items.push({ json: entry.json, deleted: entry.deleted });
      if (items.length === size) break;
    }
    const more = ids.some((id) => id > last);
    if (position.since === null) this.served.full += items.length;
    else this.served.incremental += items.length;
    return { items, next: more ? { ...position, after: last } : null };
  }
}

/** A position as an opaque token. */
export function encodePosition(position: PassPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A token back to its position, or null when it is not one. */
export function decodePosition(token: string): PassPosition | null {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PassPosition;
    return typeof value.snapshot === 'number' && typeof value.after === 'string' ? value : null;
  } catch {
    return null;
  }
}
