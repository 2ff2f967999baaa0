import {
  ErrorCode,
  ErrorText,
  hashPhone,
  mapCategory,
  routes,
  tryNormalizePhone,
  type InboundLead,
  type IngestLeadResponse,
  type Lead,
  type NormalizePhoneOptions,
} from '@careos/contract';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { KeyRing } from '../crypto/key-ring.js';
import { hexDigestsEqual } from '../crypto/api-keys.js';
import { leads, partnerPayments } from '../db/schema/index.js';
import { fingerprint } from '../domain/canonical-json.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { Batcher } from '../workers/batcher.js';
import type { ServiceContext } from './context.js';
import { leadDto } from './dto.js';
import { AUDIT_CHAIN_LOCK } from './audit-chain-sql.js';
import { leadBatchStatement, type Candidate, type IngestItem, type WriteRow } from './lead-write.js';
import { DISPATCH_LEASE_MS, type MessageService, type QueuedSms } from './messages.js';
import type { AuditService } from './audit.js';
import type { PartnerIdentity } from './partners.js';
import { sqlState } from '../db/sql-state.js';

export { PAYMENT_DUE_DAYS } from './lead-write.js';

/** Input of {@link LeadService.ingest}. */
export interface IngestLeadInput {
  partner: PartnerIdentity;
  /** The validated body. */
  lead: InboundLead;
  /** `X-CareOS-Key-Id`, when the partner sent it. */
  keyId?: string;
  /** The request's client address, recorded on the welcome SMS's audit row. */
  ip?: string | null;
}

/** Result of {@link LeadService.ingest}. */
export interface IngestLeadResult {
  response: IngestLeadResponse;
  /** True when the lead had been received before and nothing was created. */
  replayed: boolean;
}

interface KnownLead {
  leadId: string;
  userId: string;
  isNewUser: boolean;
  fingerprint: string;
}

type IngestOutcome = { known: KnownLead; replayed: boolean; sms: QueuedSms | null };

function naturalKey(partnerId: string, conversationId: string): string {
  return `${partnerId}:${conversationId}`;
}

function conflict(): DomainError {
  return new DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ErrorText.idempotencyConflict, {
    message: 'A lead with this source_conversation_id was already received with different content; send changes under a new source_conversation_id',
  });
}

/** Postgres errors worth retrying the whole transaction for. */
function retryable(error: unknown): boolean {
  return sqlState(error, '40P01') || sqlState(error, '40001');
}

/**
 * Lead ingestion (seed "API Endpoint"): verify the phone, then atomically find-or-create the
 * user and create the lead, its pending partner payment and, for a new user, its welcome SMS; send the SMS
 * after commit. Idempotent on (partner, source_conversation_id).
 *
 * Verified leads are written through a {@link Batcher}: concurrent requests share one
 * transaction, which takes an advisory lock per natural key and re-checks for replays inside
 * it, so duplicates racing each other (in one batch, across batches or across instances)
 * still create exactly one lead.
 */
export class LeadService {
  readonly #writer: Batcher<IngestItem, IngestOutcome>;
  /** Leads being decrypted and checked: the next batch waits briefly for them. */
  #verifying = 0;
  /** Batches being written. With the leads being verified, their welcomes are on their way to the outbox's claim. */
  #writing = 0;
  /** Tells the outbox that fewer welcomes are on their way. */
  readonly #welcomesArrived: () => void;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly keys: () => KeyRing,
    private readonly messages: MessageService,
    /** Told when a batch statement appended welcomes' `SMS_SENT` rows to the chain. */
    private readonly audit: AuditService,
  ) {
    this.#writer = new Batcher({
      maxBatch: 200,
      concurrency: ctx.db.kind === 'pglite' ? 1 : 4,
      upcoming: () => this.#verifying,
      run: (items) => this.#writeBatch(items),
    });
    this.#welcomesArrived = messages.expectFrom(() => this.#verifying + this.#writing);
  }

  /** Ingests one lead. Throws {@link DomainError} for every expected refusal. */
  async ingest(input: IngestLeadInput): Promise<IngestLeadResult> {
    const { partner, lead } = input;
    if (lead.source_platform.trim().toLowerCase() !== partner.platform) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, {
        message: 'source_platform must name the same platform as the X-Platform header',
        details: [{ path: 'source_platform', message: `Must be "${partner.platform}" (the X-Platform header)` }],
      });
    }
    // RSA-OAEP ciphertexts differ on every encryption: the route table leaves them out of "same request".
    const leadFingerprint = fingerprint(lead, { exclude: routes.ingestLead.fingerprintExcludes });

    let phone: string;
    this.#verifying += 1;
    try {
      phone = await this.#verifiedPhone(input);
      this.#verifying -= 1;
    } catch (error) {
      this.#verifying -= 1;
      this.#writer.nudge();
      this.#welcomesArrived();
      // A replay must replay even if, say, the key has rotated since: check before failing.
      const known = await this.#find(partner.partnerId, lead.source_conversation_id);
      if (known) return this.#replay(known, leadFingerprint);
      throw error;
    }

    const outcome = await this.#writer.submit({ partner, lead, fingerprint: leadFingerprint, phone, ip: input.ip ?? null });
    if (outcome.sms) this.messages.enqueue(outcome.sms);
    return {
      replayed: outcome.replayed,
      response: {
        success: true,
        careos_lead_id: outcome.known.leadId,
        careos_user_id: outcome.known.userId,
        careos_will_contact: true,
        is_new_user: outcome.known.isNewUser,
      },
    };
  }

  /** Waits for leads being written. */
  drain(): Promise<void> {
    return this.#writer.drain();
  }

  /** A lead of this partner, or 404 (another partner's lead is indistinguishable from a missing one). */
  async get(partnerId: string, leadId: string): Promise<Lead> {
    const rows = await this.ctx.db.orm
      .select({ lead: leads, payment: partnerPayments })
      .from(leads)
      .leftJoin(partnerPayments, eq(partnerPayments.leadId, leads.id))
      .where(and(eq(leads.id, leadId), eq(leads.partnerId, partnerId)));
    const row = rows[0];
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No lead with this id was received from your platform' });
    return leadDto(row.lead, row.payment, this.ctx.phi.cipher);
  }

  /** All leads, newest first, optionally of one platform, or of one partner (its own view). */
  async list(input: { limit: number; cursor?: string; platform?: string; partnerId?: string }): Promise<{ leads: Lead[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.cursor) conditions.push(lt(leads.id, decodeCursor(input.cursor, 'lead')));
    if (input.platform) conditions.push(eq(leads.sourcePlatform, input.platform.trim().toLowerCase()));
    if (input.partnerId) conditions.push(eq(leads.partnerId, input.partnerId));
    const rows = await this.ctx.db.orm
      .select({ lead: leads, payment: partnerPayments })
      .from(leads)
      .leftJoin(partnerPayments, eq(partnerPayments.leadId, leads.id))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(leads.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows.map((r) => ({ id: r.lead.id, ...r })), input.limit);
    return { leads: items.map((r) => leadDto(r.lead, r.payment, this.ctx.phi.cipher)), nextCursor };
  }

  /** Decrypts, normalises and checks the phone against the partner's hash. */
  async #verifiedPhone(input: IngestLeadInput): Promise<string> {
    const { lead, partner } = input;
    const decrypted = await this.keys().decrypt(lead.user_phone_encrypted, input.keyId);
    const country = (lead.user_location_country ?? this.ctx.config.defaultCountry).toUpperCase() as NonNullable<NormalizePhoneOptions['defaultCountry']>;
    const phone = tryNormalizePhone(decrypted, { defaultCountry: country });
    if (phone === null) {
      throw new DomainError(ErrorCode.DECRYPTION_FAILED, ErrorText.decryptionFailed, {
        message: 'The decrypted value is not a valid phone number; encrypt the E.164 form, e.g. +14155550100',
      });
    }
    const sent = lead.user_phone_hash.trim().toLowerCase();
    // Partners following the seed's snippet may hash the string exactly as they encrypted it.
    const matchesE164 = hexDigestsEqual(sent, hashPhone(phone, partner.phoneHashSalt));
    const matchesRaw = decrypted !== phone && hexDigestsEqual(sent, hashPhone(decrypted, partner.phoneHashSalt));
    if (!matchesE164 && !matchesRaw) {
      throw new DomainError(ErrorCode.PHONE_HASH_MISMATCH, ErrorText.phoneHashMismatch, {
        message: 'user_phone_hash must be the hex SHA-256 of the E.164 phone followed by your phone-hash salt',
      });
    }
    return phone;
  }

  async #find(partnerId: string, conversationId: string): Promise<KnownLead | null> {
    const [row] = await this.ctx.db.orm
      .select({ leadId: leads.id, userId: leads.userId, isNewUser: leads.isNewUser, fingerprint: leads.requestFingerprint })
      .from(leads)
      .where(and(eq(leads.partnerId, partnerId), eq(leads.sourceConversationId, conversationId)));
    return row ?? null;
  }

  #replay(known: KnownLead, leadFingerprint: string): IngestLeadResult {
    if (known.fingerprint !== leadFingerprint) throw conflict();
    return {
      replayed: true,
      response: { success: true, careos_lead_id: known.leadId, careos_user_id: known.userId, careos_will_contact: true, is_new_user: known.isNewUser },
    };
  }

  async #writeBatch(items: IngestItem[]): Promise<(IngestOutcome | Error)[]> {
    this.#writing += 1;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#writeBatchOnce(items);
        } catch (error) {
          if (attempt >= 4 || !retryable(error)) throw error;
        }
      }
    } finally {
      this.#writing -= 1;
      this.#welcomesArrived();
    }
  }

  /**
   * Writes one batch. Within the batch, the first item of each natural key is the candidate
   * and later ones are settled against its outcome; the candidates go to the database in one
   * statement, which returns for each either the lead it created or the lead that already
   * existed (then replayed or refused as a conflict, by fingerprint).
   */
  async #writeBatchOnce(items: IngestItem[]): Promise<(IngestOutcome | Error)[]> {
    const { db, clock } = this.ctx;
    const now = clock.now();
    const candidates = new Map<string, Candidate>();
    const itemCandidates = items.map((item) => {
      const key = naturalKey(item.partner.partnerId, item.lead.source_conversation_id);
      let candidate = candidates.get(key);
      if (!candidate) {
        candidate = { key, item, leadId: newId('lead', now), userId: newId('user', now), paymentId: newId('pay', now), messageId: newId('msg', now), body: '' };
        candidates.set(key, candidate);
      }
      return candidate;
    });
    const list = [...candidates.values()];
    const leaseEndsAt = now.getTime() + DISPATCH_LEASE_MS;
    const statement = leadBatchStatement(list, {
      now,
      leaseUntil: new Date(leaseEndsAt),
      providerName: this.messages.providerName,
      instanceId: this.ctx.instanceId,
      cipher: this.ctx.phi.cipher,
      blind: this.ctx.phi.blind,
    });
    // One statement writes the batch, welcomes and their audit rows included (see
    // leadBatchStatement). PGlite runs it alone and atomically: no transaction around it.
    const rows =
      db.kind === 'pglite'
        ? await db.rows<WriteRow>(statement)
        : await db.transaction(async (run) => {
            // Serialises transactions touching the same natural keys across connections and
            // instances, in a fixed order so two batches sharing keys cannot deadlock; then the
            // audit chain's lock, last, before the statement's snapshot (it reads the tail).
            const keys = [...list.map((c) => c.key).sort(), AUDIT_CHAIN_LOCK];
            await run(sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select k from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) with ordinality as t(k, i) order by i) s`);
            return run<WriteRow>(statement);
          });
    if (rows.some((row) => row.welcome === 'queued')) this.audit.forgetTail();

    const outcomes = new Map<Candidate, { known: KnownLead; created: boolean; welcome: WriteRow['welcome'] }>();
    const byCandidate = new Map(rows.map((row) => [row.candidate_id, row]));
    for (const candidate of list) {
      const row = byCandidate.get(candidate.leadId);
      // Only on PostgreSQL: a concurrent transaction created this phone's user after this
      // statement's snapshot, so the lead could not be joined to it. A retry sees the user.
      if (!row) throw Object.assign(new Error('user created concurrently; retrying the batch'), { code: '40001' });
      outcomes.set(candidate, {
        created: row.created,
        welcome: row.welcome,
        known: { leadId: row.id, userId: row.user_id, isNewUser: row.is_new_user, fingerprint: row.created ? candidate.item.fingerprint : (row.request_fingerprint ?? '') },
      });
    }
    return items.map((item, index) => {
      const candidate = itemCandidates[index]!;
      const outcome = outcomes.get(candidate)!;
      if (outcome.known.fingerprint !== item.fingerprint) return conflict();
      const createdHere = outcome.created && candidate.item === item;
      return {
        known: outcome.known,
        replayed: !createdHere,
        // A welcome recorded cancelled (opted-out number) is not handed to the sender.
        sms: createdHere && outcome.welcome === 'queued' ? { id: candidate.messageId, to: item.phone, body: candidate.body, leadId: outcome.known.leadId, userId: outcome.known.userId, leaseEndsAt, status: 'queued' } : null,
      };
    });
  }
}
