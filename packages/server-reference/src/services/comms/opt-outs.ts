import { tryNormalizePhone } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { normaliseEmail } from '../../crypto/blind-index.js';
import type { RawRunner } from '../../db/database.js';
import { emailSuppressions, smsOptOuts } from '../../db/schema/index.js';
import type { SuppressionReason } from '../../domain/delivery-status.js';
import type { ServiceContext } from '../context.js';

/** Who opted a number out: the person (STOP), staff, or the carrier reporting it. */
export type OptOutSource = 'inbound_stop' | 'staff' | 'carrier';

/**
 * SMS opt-outs and email suppressions, keyed by blind index so a send checks them without
 * decrypting anything; the value itself is kept sealed. Every send checks here first (and the
 * dispatcher again when it claims a message, so nothing queued before a STOP goes out after it).
 * The inbound SMS and status webhooks call `optOut` / `optIn` / `suppress`.
 */
export class OptOutService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Blind index of a phone in any accepted form; null when it is not a valid number. */
  phoneIndex(phone: string): string | null {
    const e164 = tryNormalizePhone(phone, { defaultCountry: this.ctx.config.defaultCountry as never });
    return e164 === null ? null : this.ctx.phi.blind.phone(e164);
  }

  /** Blind index of an email address, compared without case or surrounding spaces. */
  emailIndex(address: string): string {
    return this.ctx.phi.blind.email(address);
  }

  /** Opts a number out of SMS (idempotent: a second STOP keeps the first time). Returns false for an invalid number. */
  async optOut(phone: string, source: OptOutSource): Promise<boolean> {
    const e164 = tryNormalizePhone(phone, { defaultCountry: this.ctx.config.defaultCountry as never });
    if (e164 === null) return false;
    const now = this.ctx.clock.now().toISOString();
    await this.ctx.db.rows(sql`
      insert into sms_opt_outs (phone_bidx, phone_enc, active, source, opted_out_at)
      values (${this.ctx.phi.blind.phone(e164)}, ${this.ctx.phi.cipher.seal(smsOptOuts.phoneEnc, e164)}, true, ${source}, ${now}::timestamptz)
      on conflict (phone_bidx) do update set active = true, source = excluded.source, opted_out_at = excluded.opted_out_at
       where not sms_opt_outs.active`);
    return true;
  }

  /** Opts a number back in (START). Returns whether it was opted out. */
  async optIn(phone: string): Promise<boolean> {
    const bidx = this.phoneIndex(phone);
    if (bidx === null) return false;
    const rows = await this.ctx.db.rows<{ phone_bidx: string }>(sql`
      update sms_opt_outs set active = false, opted_in_at = ${this.ctx.clock.now().toISOString()}::timestamptz
       where phone_bidx = ${bidx} and active returning phone_bidx`);
    return rows.length > 0;
  }

  /** Whether a number is opted out now (an invalid number is not). */
  async isOptedOut(phone: string, run?: RawRunner): Promise<boolean> {
    const bidx = this.phoneIndex(phone);
    if (bidx === null) return false;
    return (await this.optedOutIndexes([bidx], run)).has(bidx);
  }

  /** Which of these phone blind indexes are opted out, in one statement. */
  async optedOutIndexes(indexes: string[], run?: RawRunner): Promise<Set<string>> {
    if (indexes.length === 0) return new Set();
    const query = sql`select phone_bidx as bidx from sms_opt_outs where active and phone_bidx in (select jsonb_array_elements_text(${JSON.stringify(indexes)}::jsonb))`;
    const rows = run ? await run<{ bidx: string }>(query) : await this.ctx.db.rows<{ bidx: string }>(query);
    return new Set(rows.map((r) => r.bidx));
  }

  /** Suppresses an address (bounce, spam report, unsubscribe…); idempotent. */
  async suppress(email: string, reason: SuppressionReason): Promise<void> {
    const address = normaliseEmail(email);
    const now = this.ctx.clock.now().toISOString();
    await this.ctx.db.rows(sql`
      insert into email_suppressions (email_bidx, email_enc, active, reason, suppressed_at)
      values (${this.ctx.phi.blind.email(address)}, ${this.ctx.phi.cipher.seal(emailSuppressions.emailEnc, address)}, true, ${reason}, ${now}::timestamptz)
      on conflict (email_bidx) do update set active = true, reason = excluded.reason, suppressed_at = excluded.suppressed_at
       where not email_suppressions.active`);
  }

  /** Lifts a suppression (an admin decision, e.g. after the mailbox was fixed). Returns whether it was suppressed. */
  async unsuppress(email: string): Promise<boolean> {
    const rows = await this.ctx.db.rows<{ email_bidx: string }>(sql`
      update email_suppressions set active = false, lifted_at = ${this.ctx.clock.now().toISOString()}::timestamptz
       where email_bidx = ${this.emailIndex(email)} and active returning email_bidx`);
    return rows.length > 0;
  }

  /** Whether an address is suppressed now. */
  async isSuppressed(email: string, run?: RawRunner): Promise<boolean> {
    const bidx = this.emailIndex(email);
    return (await this.suppressedIndexes([bidx], run)).has(bidx);
  }

  /** Which of these email blind indexes are suppressed, in one statement. */
  async suppressedIndexes(indexes: string[], run?: RawRunner): Promise<Set<string>> {
    if (indexes.length === 0) return new Set();
    const query = sql`select email_bidx as bidx from email_suppressions where active and email_bidx in (select jsonb_array_elements_text(${JSON.stringify(indexes)}::jsonb))`;
    const rows = run ? await run<{ bidx: string }>(query) : await this.ctx.db.rows<{ bidx: string }>(query);
    return new Set(rows.map((r) => r.bidx));
  }
}
