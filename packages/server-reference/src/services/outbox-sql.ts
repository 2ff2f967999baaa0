import { COMMS_STATUS_RANK } from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import type { TemplateData } from '../messages/comms-templates.js';

/**
 * The sealed `messages.content_enc` of any message: `{ to, body }` for an SMS (as before
 * email existed), plus `subject`, `template_id` and `dynamic_data` for an email. `body` is null
 * for an email rendered by a provider template.
 */
export interface SealedContent {
  to: string;
  body: string | null;
  subject?: string | null;
  dynamic_data?: TemplateData | null;
}

/**
 * The rank of a status as SQL, from the contract's `COMMS_STATUS_RANK`: the status callbacks
 * and the send results compare with it, so a status only ever moves forward
 * (`set status = case when statusRankSql(new) > statusRankSql(status) then new else status end`).
 */
export function statusRankSql(status: SQL): SQL {
  const cases = Object.entries(COMMS_STATUS_RANK).map(([name, rank]) => sql`when ${name} then ${sql.raw(String(rank))}`);
  return sql`(case ${status} ${sql.join(cases, sql` `)} else -1 end)`;
}

/** One row of {@link insertMessagesSql}. */
export interface OutboxRow {
  id: string;
  channel: 'sms' | 'email';
  kind: string;
  automated: boolean;
  author_staff_id: string | null;
  content_enc: string;
  language: string;
  /** Set when the message is recorded cancelled from the start (e.g. `opted_out`). */
  cancel_reason: string | null;
  provider: string;
  lead_id: string | null;
  user_id: string | null;
  contains_phi: boolean;
  generic_notice: boolean;
  template_id: string | null;
  encoding: string | null;
  segments: number | null;
  batch_id: string | null;
}

/**
 * Inserts outbound messages `queued`, leased to this instance, in one statement whatever
 * their number. A row arriving with a `cancel_reason`, or an automated one for a contact whose
 * automation is paused, is written `cancelled` instead and never leased.
 */
export function insertMessagesSql(rows: OutboxRow[], lease: { until: Date; by: string }, now: Date): SQL {
  return sql`
    insert into messages (id, channel, direction, kind, automated, author_staff_id, content_enc, language, status, cancel_reason, provider,
                          lead_id, user_id, attempts, locked_until, locked_by, created_at, contains_phi, generic_notice, template_id,
                          encoding, segments, batch_id)
    select x.id, x.channel, 'outbound', x.kind, x.automated, x.author_staff_id, x.content_enc, x.language,
           case when p.reason is null then 'queued' else 'cancelled' end, p.reason, x.provider, x.lead_id, x.user_id, 0,
           case when p.reason is null then ${lease.until.toISOString()}::timestamptz end, ${lease.by}, ${now.toISOString()}::timestamptz,
           x.contains_phi, x.generic_notice, x.template_id, x.encoding, x.segments, x.batch_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
             id text, channel text, kind text, automated boolean, author_staff_id text, content_enc text, language text, cancel_reason text,
             provider text, lead_id text, user_id text, contains_phi boolean, generic_notice boolean, template_id text, encoding text,
             segments integer, batch_id text)
      cross join lateral (
        select coalesce(x.cancel_reason,
                        case when x.automated and exists (select 1 from users u where u.id = x.user_id and u.automation_paused) then 'automation_paused' end) as reason
      ) p
    returning id, status, cancel_reason`;
}

/** What the dispatcher's claim is given for one message: its id and its recipient's blind index. */
export interface ClaimInput {
  id: string;
  channel: 'sms' | 'email';
  bidx: string | null;
}

/**
 * Claims queued messages for sending, in one statement: each still `queued` one becomes
 * `sending` — or `cancelled` when its contact's automation is paused (automated only), its
 * number has opted out, or its address is suppressed. Rechecked here, under the row's lock, so
 * a STOP or a staff reply committed after the message was queued still stops it. With
 * `deferUntil` (the business's quiet hours are on), automated messages become `deferred`
 * until then instead, released by this instance; what people send goes now.
 *
 * Each message is found by a primary-key probe of its own, fenced with `OFFSET 0`. Matched as
 * a join on `status = 'queued'`, the planner also read the partial dispatch index (`queued`
 * and `sending` messages), whose dead entries, two for every message sent, stay until the
 * next vacuum: on the embedded database, which vacuums every ten minutes, each claim then
 * scanned all of them, and cost three times as much after 180,000 messages.
 */
export function claimMessagesSql(items: ClaimInput[], deferUntil: Date | null = null): SQL {
  const defer = deferUntil ? sql`(due.reason is null and m.automated)` : sql`false`;
  // Probed, and so locked, in id order, as a staff reply locks the messages it cancels (no deadlock).
  const ordered = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sql`
    with due as (
      select m.id,
             case when m.automated and coalesce(u.automation_paused, false) then 'automation_paused'
                  when i.channel = 'sms' and exists (select 1 from sms_opt_outs o where o.phone_bidx = i.bidx and o.active) then 'opted_out'
                  when i.channel = 'email' and exists (select 1 from email_suppressions s where s.email_bidx = i.bidx and s.active) then 'suppressed'
             end as reason
        from jsonb_to_recordset(${JSON.stringify(ordered)}::jsonb) as i(id text, channel text, bidx text)
        cross join lateral (
          select q.id, q.automated, q.user_id from messages q where q.id = i.id and q.status = 'queued' offset 0 for update
        ) m
        left join users u on u.id = m.user_id)
    update messages as m
       set status = case when due.reason is not null then 'cancelled' when ${defer} then 'deferred' else 'sending' end,
           cancel_reason = due.reason,
           send_after = case when ${defer} then ${deferUntil?.toISOString() ?? null}::timestamptz else m.send_after end,
           locked_until = case when due.reason is not null or ${defer} then null else m.locked_until end
      from due
     where m.id = due.id
    returning m.id, m.status, m.cancel_reason`;
}

/** One send result to record. */
export interface StatusUpdate {
  id: string;
  status: 'sent' | 'failed';
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
}

/**
 * Serialises the writing of provider message ids with the status reports about them, on
 * PostgreSQL: a transaction-scoped advisory lock per provider id, taken in a statement of its
 * own before the write (or the report), so the statement after it sees what the other side
 * committed. Taken in sorted order: two writers never deadlock.
 */
export function lockProviderMessagesSql(providerIds: string[]): SQL {
  return sql`
    select pg_advisory_xact_lock(hashtextextended('careos.provider_message:' || k, 0))
      from (select distinct k from jsonb_array_elements_text(${JSON.stringify(providerIds)}::jsonb) as t(k) order by k) s`;
}

/**
 * Records send results in one statement. The status only moves forward: a `delivered`
 * callback that beat the send result to the database is kept, with its error. The provider's
 * id also lands in the message's communications audit detail (`comms_audit`), once.
 *
 * Status reports that arrived before the provider's id was written here (the provider called
 * back while its answer to the send was still on its way) were kept in `message_events`
 * without a message, under that id: they are linked to the message now and the furthest of
 * them applies, so the final status is the same whichever came first. On PostgreSQL the
 * caller holds {@link lockProviderMessagesSql} for the ids first.
 */
export function recordResultsSql(updates: StatusUpdate[], ids: string, now: Date): SQL {
  const json = JSON.stringify(updates.map((u) => ({ id: u.id, status: u.status, provider_message_id: u.providerMessageId, error: u.error, sent_at: u.sentAt })));
  const providerIds = JSON.stringify(updates.flatMap((u) => (u.providerMessageId === null ? [] : [u.providerMessageId])));
  const rank = statusRankSql;
  return sql`
    with u as (
      select * from jsonb_to_recordset(${json}::jsonb) as x(id text, status text, provider_message_id text, error text, sent_at timestamptz)
    ), pending as (
      select u.id as message_id, e.id as event_id, e.status,
             -- The text the status callback writes for a failure it applies itself ('twilio error 30003').
             case when e.status in ('undelivered', 'failed') and e.error_code is not null then e.provider || ' error ' || e.error_code end as error
        from u join messages m on m.id = u.id
        join message_events e on e.provider_message_id = u.provider_message_id and e.provider = m.provider and e.message_id is null
       where e.provider_message_id in (select jsonb_array_elements_text(${providerIds}::jsonb))
    ), linked as (
      update message_events e set message_id = p.message_id from pending p where e.id = p.event_id returning e.id
    ), reported as (
      -- Per message the furthest report; among equals the first received, as when applied one by one.
      select distinct on (message_id) message_id, status, error from pending where status is not null
       order by message_id, ${rank(sql`status`)} desc, event_id
    ), audited as (
      -- The detail rows are found by one index probe per message (OFFSET 0 keeps the lateral
      -- from being pulled up into a join), then updated by primary key. As a join, or matched
      -- against the batch's ids, message_id (not unique) is estimated without fresh statistics
      -- (the embedded database analyzes every ten minutes) at 0.5 % of the table per id: the
      -- plan then scanned the whole table for every batch.
      update comms_audit c set provider_message_id = u.provider_message_id, provider_accepted_at = u.sent_at
        from u
       where c.audit_id = any(array(
               select x.audit_id from u cross join lateral (
                 select audit_id from comms_audit x where x.message_id = u.id and x.provider_message_id is null offset 0
               ) x
              where u.provider_message_id is not null))
         and c.message_id = u.id
      returning c.audit_id
    )
    update messages as m
       set status = case when ${rank(sql`r.status`)} > greatest(${rank(sql`u.status`)}, ${rank(sql`m.status`)}) then r.status
                         when ${rank(sql`u.status`)} > ${rank(sql`m.status`)} then u.status else m.status end,
           error = case when ${rank(sql`r.status`)} > greatest(${rank(sql`u.status`)}, ${rank(sql`m.status`)}) then r.error
                        when ${rank(sql`u.status`)} > ${rank(sql`m.status`)} then u.error else m.error end,
           provider_message_id = coalesce(m.provider_message_id, u.provider_message_id),
           sent_at = coalesce(m.sent_at, u.sent_at), attempts = m.attempts + 1, locked_until = null,
           status_updated_at = ${now.toISOString()}::timestamptz
      from u left join reported r on r.message_id = u.id
     where m.id = u.id and m.id = any(${ids}::text[])`;
}
