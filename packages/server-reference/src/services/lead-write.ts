import { mapCategory, type InboundLead } from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import type { BlindIndex } from '../crypto/blind-index.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { leads, messages, users } from '../db/schema/index.js';
import { toCents } from '../domain/money.js';
import { welcomeMessage } from '../messages/welcome-templates.js';
import { auditRow } from './audit.js';
import { chainSuffix } from './audit-chain.js';
import { appendAuditChainCtes } from './audit-chain-sql.js';
import { queuedAuditEntry, sentAction } from './comms/comms-audit.js';
import type { PartnerIdentity } from './partners.js';

/** Partner payments fall due this long after the lead arrives (seed). */
export const PAYMENT_DUE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A verified lead waiting for its batch. */
export interface IngestItem {
  partner: PartnerIdentity;
  lead: InboundLead;
  fingerprint: string;
  /** The verified E.164 phone. */
  phone: string;
  /** The ingest request's client address, for the welcome's audit row. */
  ip: string | null;
}

/** The first item of a natural key in a batch, with the ids it gets if it creates a lead. */
export interface Candidate {
  key: string;
  item: IngestItem;
  leadId: string;
  userId: string;
  paymentId: string;
  messageId: string;
  /** Welcome SMS text, filled in when the statement is built. */
  body: string;
}

/**
 * A user's sealed contact card (`users.profile_enc`). Users leads create have a phone and
 * maybe a name; contacts staff add have a name and a phone or an email, maybe notes.
 */
export interface UserProfile {
  phone: string | null;
  name: string | null;
  email?: string | null;
  notes?: string | null;
}

/** A lead's sealed content (`leads.content_enc`), in the API's field names. */
export interface LeadContent {
  user_name: string | null;
  original_message: string;
  ai_extracted_details: Record<string, unknown>;
}

/** A message's sealed content (`messages.content_enc`). */
export interface MessageContent {
  to: string;
  body: string;
}

/** One row returned by the batch statement. */
export interface WriteRow extends Record<string, unknown> {
  candidate_id: string;
  id: string;
  user_id: string;
  is_new_user: boolean;
  created: boolean;
  request_fingerprint: string | null;
  /** The welcome this lead wrote: `queued`, `cancelled` (the number had opted out), or null (none). */
  welcome: 'queued' | 'cancelled' | null;
}

/** What the statement needs besides the candidates. */
export interface WriteContext {
  now: Date;
  /** When the queuing instance's dispatch lease ends. */
  leaseUntil: Date;
  providerName: string;
  instanceId: string;
  cipher: FieldCipher;
  blind: BlindIndex;
}

/**
 * The statement that writes a batch: finds the candidates that already exist (one unique
 * index probe each), finds or creates the users of the others by the blind index of their
 * phone — the first new lead of a phone without a user gets `is_new_user` — and inserts their
 * leads and pending payments, and the welcome messages of the users it creates: queued, with
 * each its HIPAA audit rows (the hash-chained `SMS_SENT` row, actor the automation, partner and
 * IP of the ingest request, and its `comms_audit` detail), or recorded `cancelled` with
 * `opted_out`, and not audited as sent, when the number has opted out of SMS (as the outbox
 * records any message to such a number). Returns one row per candidate.
 *
 * One statement, so on PGlite a batch is one call to the database thread and needs no
 * transaction around it; see `appendAuditChainCtes` for how the chain stays one order.
 *
 * PHI leaves this process sealed: names, phones, messages and details are encrypted here and
 * the phone is matched by its blind index, so the statement itself carries no plaintext PHI,
 * and the audit rows carry ids only.
 */
export function leadBatchStatement(candidates: Candidate[], context: WriteContext): SQL {
  const { now, cipher, blind } = context;
  const nowIso = now.toISOString();
  const dueIso = new Date(now.getTime() + PAYMENT_DUE_DAYS * DAY_MS).toISOString();
  const rows = candidates.map((candidate, ord) => {
    const { lead, partner, phone } = candidate.item;
    const welcome = welcomeMessage(lead.user_language, lead.user_name, partner.name);
    candidate.body = welcome.body;
    const userName = lead.user_name?.trim() || null;
    // The welcome's audit row, ready in case the statement queues it: the same entry the outbox
    // writes for any automated message, chained by the statement.
    const audit = auditRow(
      queuedAuditEntry({ id: candidate.messageId, channel: 'sms', kind: 'welcome', automated: true, author_staff_id: null, user_id: candidate.userId, generic_notice: false, provider: context.providerName, partner_id: partner.partnerId, ip: candidate.item.ip }),
      now,
    );
    return {
      ord,
      id: candidate.leadId,
      user_id: candidate.userId,
      payment_id: candidate.paymentId,
      message_id: candidate.messageId,
      phone_bidx: blind.phone(phone),
      user_profile_enc: cipher.sealJson(users.profileEnc, { phone, name: userName } satisfies UserProfile),
      // Whole-word tokens only (no prefixes): one HMAC per word keeps the hot path's cost flat.
      user_name_tokens: blind.nameTokens(userName),
      partner_id: partner.partnerId,
      source_platform: partner.platform,
      user_source: `${partner.platform}_referral`,
      source_conversation_id: lead.source_conversation_id,
      request_fingerprint: candidate.item.fingerprint,
      lead_content_enc: cipher.sealJson(leads.contentEnc, {
        user_name: userName,
        original_message: lead.original_message,
        ai_extracted_details: lead.ai_extracted_details,
      } satisfies LeadContent),
      user_language: lead.user_language,
      location_state: lead.user_location_state ?? null,
      location_country: lead.user_location_country?.toUpperCase() ?? null,
      location_city: lead.user_location_city ?? null,
      category: mapCategory(lead.category, lead.subcategory),
      category_raw: lead.category,
      subcategory: lead.subcategory ?? null,
      consent_timestamp: lead.consent_timestamp,
      value_cents: toCents(lead.lead_value_agreed),
      message_content_enc: cipher.sealJson(messages.contentEnc, { to: phone, body: welcome.body } satisfies MessageContent),
      message_language: welcome.language,
      audit_id: audit.id,
      chain_suffix: chainSuffix(audit),
    };
  });
  const leaseUntil = context.leaseUntil.toISOString();
  // The LIMIT keeps each lateral lookup a unique-index probe, whatever the planner's
  // statistics (the embedded database has no autovacuum to refresh them).
  return sql`
    with recursive candidates as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        ord integer, id text, user_id text, payment_id text, message_id text, phone_bidx text, user_profile_enc text, user_name_tokens text[],
        partner_id text, source_platform text, user_source text, source_conversation_id text, request_fingerprint text,
        lead_content_enc text, user_language text, location_state text, location_country text, location_city text,
        category text, category_raw text, subcategory text, consent_timestamp timestamptz, value_cents integer,
        message_content_enc text, message_language text, audit_id text, chain_suffix text)
    ), existing as (
      select c.id as candidate_id, l.id, l.user_id, l.is_new_user, l.request_fingerprint
        from candidates c
        cross join lateral (
          select id, user_id, is_new_user, request_fingerprint from leads
           where partner_id = c.partner_id and source_conversation_id = c.source_conversation_id limit 1
        ) l
    ), fresh as (
      -- Per phone, the batch's first candidate creates the user unless one existed before the
      -- statement (an index probe per row); the phone's other candidates take that user's id.
      select c.*, row_number() over w = 1 as first_of_phone, first_value(c.user_id) over w as batch_user_id,
             (select u.id from users u where u.phone_bidx = c.phone_bidx limit 1) as known_user_id
        from candidates c
       where not exists (select 1 from existing e where e.candidate_id = c.id)
      window w as (partition by c.phone_bidx order by c.ord)
    ), users_new as (
      insert into users (id, phone_bidx, profile_enc, name_tokens, language, source, created_at)
      select user_id, phone_bidx, user_profile_enc, user_name_tokens, user_language, user_source, ${nowIso}::timestamptz
        from fresh where first_of_phone and known_user_id is null
       order by phone_bidx
      on conflict (phone_bidx) do nothing
      returning phone_bidx
    ), placed as (
      -- Every candidate whose user exists now. No join: the planner's estimates of these CTEs
      -- are one row, so a join here became a nested loop, quadratic in the batch.
      select f.*, coalesce(f.known_user_id, f.batch_user_id) as owner_id, f.known_user_id is null and f.first_of_phone as creates_user,
             f.known_user_id is null and f.first_of_phone
               and exists (select 1 from sms_opt_outs o where o.phone_bidx = f.phone_bidx and o.active) as opted_out
        from fresh f
       where f.known_user_id is not null or f.phone_bidx = any(array(select phone_bidx from users_new))
    ), leads_new as (
      insert into leads (id, partner_id, source_platform, source_conversation_id, request_fingerprint, user_id, is_new_user,
                         content_enc, user_language, location_state, location_country, location_city, category, category_raw,
                         subcategory, consent_timestamp, value_cents, status, created_at)
      select id, partner_id, source_platform, source_conversation_id, request_fingerprint, owner_id, creates_user,
             lead_content_enc, user_language, location_state, location_country, location_city, category, category_raw,
             subcategory, consent_timestamp, value_cents, 'new', ${nowIso}::timestamptz
        from placed
      returning id, user_id, is_new_user
    ), payments_new as (
      insert into partner_payments (id, lead_id, partner_id, amount_cents, currency, status, due_at, created_at)
      select payment_id, id, partner_id, value_cents, 'USD', 'pending', ${dueIso}::timestamptz, ${nowIso}::timestamptz
        from placed
    ), messages_new as (
      -- The welcome greets a new person once: a lead for a phone that is already a contact's
      -- (from an earlier lead, or added by staff) sends nothing.
      -- The person is new, so their automation cannot be paused; a number that opted out
      -- before it was ever a contact (STOP, staff, carrier) gets the welcome recorded cancelled.
      insert into messages (id, channel, direction, kind, automated, content_enc, language, status, cancel_reason, provider, lead_id, user_id,
                            attempts, locked_until, locked_by, created_at)
      select message_id, 'sms', 'outbound', 'welcome', true, message_content_enc, message_language,
             case when opted_out then 'cancelled' else 'queued' end, case when opted_out then 'opted_out' end, ${context.providerName}::text,
             id, owner_id, 0, case when not opted_out then ${leaseUntil}::timestamptz end, ${context.instanceId}::text, ${nowIso}::timestamptz
        from placed where creates_user
    ), welcomes as (
      -- The welcomes queued, numbered in batch order for the audit chain.
      select row_number() over (order by ord) as n, audit_id, chain_suffix, message_id, owner_id
        from placed where creates_user and not opted_out
    ), ${appendAuditChainCtes('welcomes')}, comms_audited as (
      insert into comms_audit (audit_id, message_id, client_id, channel, action, detail, provider, created_at)
      select audit_id, message_id, owner_id, 'sms', ${sentAction('sms')}::text, null, ${context.providerName}::text, ${nowIso}::timestamptz
        from welcomes
    )
    select id as candidate_id, id, owner_id as user_id, creates_user as is_new_user, true as created, null::text as request_fingerprint,
           case when not creates_user then null when opted_out then 'cancelled' else 'queued' end as welcome
      from placed
    union all
    select candidate_id, id, user_id, is_new_user, false, request_fingerprint, null from existing`;
}
