import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { textArray } from '../src/db/sql-arrays.js';
import { claimMessagesSql, insertMessagesSql, recordResultsSql, type OutboxRow, type StatusUpdate } from '../src/services/outbox-sql.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';

/** Communications audit details already written, none of them analyzed yet (as in a new database, or between the embedded database's maintenance runs). */
const EARLIER_DETAILS = 20_000;
/** Send results in one batch: past the point where 0.5 % of the table per id makes a full scan look cheaper. */
const BATCH = 200;

/** Messages already sent, none of them vacuumed or analyzed: each left two dead entries in the dispatch index. */
const EARLIER_MESSAGES = 20_000;

const outboxRows = (ids: string[]) =>
  ids.map((id): OutboxRow => ({
    id, channel: 'sms', kind: 'welcome', automated: true, author_staff_id: null, content_enc: 'v1.sealed', language: 'en', cancel_reason: null, provider: 'console',
    lead_id: null, user_id: null, contains_phi: false, generic_notice: false, template_id: null, encoding: 'GSM-7', segments: 1, batch_id: null,
  }));

describe.each(backendNames())('the outbox claiming messages after many were sent (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  const ids = Array.from({ length: BATCH }, (_, i) => `msg_claim${String(i).padStart(4, '0')}`);
  const items = () => ids.map((id, i) => ({ id, channel: 'sms' as const, bidx: `bidx${i}` }));

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    const lease = { until: new Date(Date.now() + 60_000), by: 'instance' };
    const earlier = Array.from({ length: EARLIER_MESSAGES }, (_, i) => `msg_sent${String(i).padStart(6, '0')}`);
    for (let i = 0; i < earlier.length; i += 5_000) await db.rows(insertMessagesSql(outboxRows(earlier.slice(i, i + 5_000)), lease, new Date()));
    // As the outbox moves each of them: claimed, then sent.
    await db.rows(sql`update messages set status = 'sending' where id like 'msg_sent%'`);
    await db.rows(sql`update messages set status = 'sent', locked_until = null where id like 'msg_sent%'`);
    await db.rows(insertMessagesSql(outboxRows(ids), lease, new Date()));
  }, 60_000);
  afterAll(async () => {
    await backend?.dispose();
  });

  it('finds each message by its primary key, never through the dispatch index and the dead entries of the messages sent before', async () => {
    const rows = await db.rows<Record<string, string>>(sql`explain ${claimMessagesSql(items())}`);
    const plan = rows.map((row) => Object.values(row)[0]).join('\n');
    expect(plan, plan).not.toContain('messages_dispatch_idx');
    expect(plan, plan).toContain('messages_pkey');
  });

  it('claims every queued message of the batch, once', async () => {
    const claimed = await db.rows<{ id: string; status: string }>(claimMessagesSql(items()));
    expect(claimed.map((r) => r.status)).toEqual(ids.map(() => 'sending'));
    expect(claimed.map((r) => r.id).sort()).toEqual(ids);
    expect(await db.rows(claimMessagesSql(items()))).toEqual([]);
  });
});

describe.each(backendNames())('the outbox recording send results at scale (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  const ids = Array.from({ length: BATCH }, (_, i) => `msg_plan${String(i).padStart(4, '0')}`);

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    await db.rows(sql`
      insert into comms_audit (audit_id, message_id, client_id, channel, action, provider, created_at)
      select 'aud_earlier' || g, 'msg_earlier' || g, null, 'sms', 'SMS_SENT', 'console', now() from generate_series(1, ${EARLIER_DETAILS}) g`);
    await db.rows(insertMessagesSql(outboxRows(ids), { until: new Date(Date.now() + 60_000), by: 'instance' }, new Date()));
    await db.rows(sql`
      insert into comms_audit (audit_id, message_id, client_id, channel, action, provider, created_at)
      select 'aud_' || id, id, null, 'sms', 'SMS_SENT', 'console', now() from unnest(${textArray(ids)}::text[]) as t(id)`);
  }, 60_000);
  afterAll(async () => {
    await backend?.dispose();
  });

  const updates = (): StatusUpdate[] => ids.map((id) => ({ id, status: 'sent', providerMessageId: `SM${id}`, error: null, sentAt: new Date().toISOString() }));

  it("finds each message's audit detail through the index, never by scanning every earlier detail", async () => {
    const rows = await db.rows<Record<string, string>>(sql`explain ${recordResultsSql(updates(), textArray(ids), new Date())}`);
    const plan = rows.map((row) => Object.values(row)[0]).join('\n');
    expect(plan, plan).not.toMatch(/Seq Scan on comms_audit/);
    expect(plan, plan).toContain('comms_audit_message_idx');
  });

  it("writes the provider's id on the batch's details, and only on theirs", async () => {
    await db.rows(recordResultsSql(updates(), textArray(ids), new Date()));
    const [counts] = await db.rows<{ stamped: number; batch: number }>(sql`
      select count(*) filter (where provider_message_id is not null)::int as stamped,
             count(*) filter (where provider_message_id = 'SM' || message_id and provider_accepted_at is not null and message_id = any(${textArray(ids)}::text[]))::int as batch
        from comms_audit`);
    expect(counts).toEqual({ stamped: BATCH, batch: BATCH });
  });
});
