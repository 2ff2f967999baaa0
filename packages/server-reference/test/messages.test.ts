// Messages: the conversation with a contact, and "a staff reply stops automation". Runs on PGlite,
// and on PostgreSQL too when DATABASE_URL is set: the reply and the dispatcher's claim race for
// the same rows there for real.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../src/index.js';
import { systemClock } from '../src/domain/clock.js';
import type { Providers, SmsMessage, SmsProvider } from '../src/providers/types.js';
import type { ServiceContext } from '../src/services/context.js';
import { SEND_CONCURRENCY, type QueuedSms } from '../src/services/messages.js';
import { CLAIM_AHEAD, CLAIM_LINGER_MS, OutboxDispatcher } from '../src/services/outbox-dispatcher.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();

/**
 * An SMS provider that records every message it is handed (before anything else), can be held
 * — sends then wait until released, or answered one at a time, oldest first — and refuses the
 * numbers in `failing`.
 */
function gatedProvider() {
  const handed: SmsMessage[] = [];
  const failing = new Set<string>();
  let holding = false;
  /** Sends waiting for their answer, oldest first. */
  const waiters: (() => void)[] = [];
  const provider: SmsProvider = {
    name: 'gated',
    async send(message) {
      handed.push(message);
      if (holding) await new Promise<void>((resolve) => waiters.push(resolve));
      if (failing.has(message.to)) throw Object.assign(new Error('Recipient refused by the carrier'), { name: 'ProviderError' });
      return { providerMessageId: `gated-${handed.length}` };
    },
  };
  return {
    provider,
    handed,
    failing,
    waiting: () => waiters.length,
    hold: () => void (holding = true),
    /** Answers the oldest held send; the others stay held. */
    answerOldest: () => waiters.shift()?.(),
    release: () => {
      holding = false;
      waiters.splice(0).forEach((answer) => answer());
    },
  };
}

describe.each(backendNames())('messages and automation (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  let staff: StaffSession;
  const sms = gatedProvider();
  const handedTo = (phone: string) => sms.handed.filter((m) => m.to === phone);
  const post = (path: string, headers: Record<string, string>, json?: unknown) => call(server.url, 'POST', path, { headers, ...(json === undefined ? {} : { json }) });
  const get = (path: string, headers: Record<string, string> = staff.headers) => call(server.url, 'GET', path, { headers });
  const row = async (id: string) =>
    (await query<{ status: string; cancel_reason: string | null; automated: boolean; direction: string }>(db, `select status, cancel_reason, automated, direction from messages where id = '${id}'`))[0];
  /** A contact with a phone, its welcome sent. */
  const contact = async (name = 'Ada Lovelace') => {
    const phone = uniquePhone();
    const res = await post('/contacts', admin, { name, phone });
    expect(res.status).toBe(201);
    await server.app.flush();
    return { id: res.body.contact.id as string, phone, welcomeId: res.body.welcome_message_id as string };
  };
  /** An automated message written by an automation's transaction (as a booking confirmation would be), not yet handed to the sender. */
  const automated = (userId: string, phone: string, kind = 'booking_reminder'): Promise<QueuedSms> =>
    db.transaction((run) => server.app.services.messages.insertQueued(run, { kind, to: phone, body: `Reminder for ${userId}`, language: 'en', userId }));
  const reply = (contactId: string, body: string, headers = staff.headers) => post('/messages', headers, { contact_id: contactId, body });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: INTEGRATION_ADMIN }), providers: { sms: sms.provider } });
    admin = await adminHeaders(server);
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    sms.release();
    await server?.close();
    await backend?.dispose();
  });

  it('a staff reply is sent, pauses automation and cancels what was queued; nothing automated goes out until an admin resumes', async () => {
    const ada = await contact();
    const queued = await automated(ada.id, ada.phone);
    const res = await reply(ada.id, 'Hi Ada, does Tuesday at 10 work?');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      automation_paused: true,
      cancelled_message_ids: [queued.id],
      message: { direction: 'outbound', kind: 'reply', automated: false, status: 'queued', body: 'Hi Ada, does Tuesday at 10 work?', user_id: ada.id, author_staff_id: staff.id },
    });
    // The cancelled message reaches the sender anyway (as if it had been in memory): its claim fails.
    server.app.services.messages.enqueue(queued);
    // An automation firing later writes its message already cancelled.
    const later = await automated(ada.id, ada.phone, 'booking_confirmation');
    expect(later.status).toBe('cancelled');
    server.app.services.messages.enqueue(later);
    await server.app.flush();
    expect(handedTo(ada.phone).map((m) => m.body)).toEqual([expect.stringContaining('Ada'), 'Hi Ada, does Tuesday at 10 work?']);
    expect(await row(queued.id)).toMatchObject({ status: 'cancelled', cancel_reason: 'staff_reply', automated: true });
    expect(await row(later.id)).toMatchObject({ status: 'cancelled', cancel_reason: 'automation_paused' });
    expect(await row(res.body.message.id)).toMatchObject({ status: 'sent', automated: false, direction: 'outbound' });
    expect((await get(`/contacts/${ada.id}`)).body.contact.automation_paused).toBe(true);

    // Staff cannot resume, neither through the route nor by patching the flag.
    expect((await post(`/contacts/${ada.id}/resume-automation`, staff.headers)).status).toBe(403);
    const patched = await call(server.url, 'PATCH', `/contacts/${ada.id}`, { headers: staff.headers, json: { automation_paused: false } });
    expect(patched.status).toBe(400);
    expect(patched.body.details).toEqual([{ path: 'automation_paused', message: 'Must be true' }]);

    const resumed = await post(`/contacts/${ada.id}/resume-automation`, admin);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ resumed: true, contact: { id: ada.id, automation_paused: false } });
    expect((await post(`/contacts/${ada.id}/resume-automation`, admin)).body.resumed).toBe(false);
    const after = await automated(ada.id, ada.phone);
    expect(after.status).toBe('queued');
    server.app.services.messages.enqueue(after);
    await server.app.flush();
    expect(await row(after.id)).toMatchObject({ status: 'sent' });
    expect(handedTo(ada.phone)).toHaveLength(3);
    // Resuming resurrects nothing.
    expect(await row(queued.id)).toMatchObject({ status: 'cancelled' });

    // Each decision is audited by id; no row carries the text.
    const entries = (await server.app.services.audit.list({ limit: 100, subjectId: ada.id })).entries;
    const decisions = entries.filter((e) => e.route === 'automation').map((e) => `${e.method} ${e.actor_id}`);
    expect(decisions.sort()).toEqual([`PAUSE ${staff.id}`, expect.stringMatching(/^RESUME staff_/)].sort());
    const cancel = (await server.app.services.audit.list({ limit: 10, subjectId: queued.id })).entries;
    expect(cancel).toEqual([expect.objectContaining({ method: 'CANCEL', route: 'automation', subject_type: 'message', actor_id: staff.id })]);
    expect(JSON.stringify(entries)).not.toContain('Tuesday');
  });

  it('the race: an automated message waiting in the sender when the reply commits is never sent', async () => {
    sms.hold();
    const phones: string[] = [];
    try {
      // Fill every sending slot with a welcome held at the provider...
      for (let i = 0; i < SEND_CONCURRENCY; i += 1) {
        const phone = uniquePhone();
        phones.push(phone);
        expect((await post('/contacts', admin, { name: `Busy ${i}`, phone })).status).toBe(201);
      }
      await expect.poll(() => sms.waiting()).toBe(SEND_CONCURRENCY);
      // ...so this contact's welcome waits in memory, committed and queued.
      const phone = uniquePhone();
      const created = await post('/contacts', admin, { name: 'Grace Hopper', phone });
      const welcomeId = created.body.welcome_message_id as string;
      expect(await row(welcomeId)).toMatchObject({ status: 'queued' });
      const res = await reply(created.body.contact.id, 'Hello Grace, this is Sam.');
      expect(res.body.cancelled_message_ids).toEqual([welcomeId]);
    } finally {
      sms.release();
    }
    await server.app.flush();
    const grace = sms.handed.filter((m) => !phones.includes(m.to) && m.body.includes('Grace'));
    expect(grace.map((m) => m.body)).toEqual(['Hello Grace, this is Sam.']);
    for (const phone of phones) expect(handedTo(phone)).toHaveLength(1);
  });

  it('a slow provider: the sender never holds more than CLAIM_AHEAD claimed messages it has not handed over; the rest stay queued', async () => {
    const ivy = await contact('Ivy Queue');
    const count = SEND_CONCURRENCY + 4 * CLAIM_AHEAD;
    sms.hold();
    try {
      const queued = await db.transaction((run) =>
        server.app.services.messages.insertQueuedMany(
          run,
          Array.from({ length: count }, (_, i) => ({ kind: 'reply', to: ivy.phone, body: `Notice ${i}`, language: 'en', userId: ivy.id, automated: false, authorStaffId: staff.id })),
        ),
      );
      const ids = queued.map((q) => `'${q.id}'`).join(',');
      server.app.services.messages.enqueue(...queued);
      /** Messages claimed (`sending`) but not yet handed to the provider, and those still `queued`. */
      const counts = async () => {
        const rows = await query<{ id: string; status: string }>(db, `select id, status from messages where id in (${ids}) and status in ('queued', 'sending')`);
        const handed = new Set(sms.handed.map((m) => m.id));
        return { claimedUnsent: rows.filter((r) => r.status === 'sending' && !handed.has(r.id)).length, queued: rows.filter((r) => r.status === 'queued').length };
      };
      // Every slot is taken and held; nothing is claimed ahead before the provider has answered.
      await expect.poll(() => sms.waiting()).toBe(SEND_CONCURRENCY);
      expect(await counts()).toEqual({ claimedUnsent: 0, queued: count - SEND_CONCURRENCY });
      // The provider now answers one send at a time: each answer earns claims ahead, up to the bound.
      let most = 0;
      for (let step = 0; step < CLAIM_AHEAD / 2 + 8; step += 1) {
        const handedBefore = sms.handed.length;
        sms.answerOldest();
        // The freed slot takes the next message (claimed ahead, or claimed for it).
        await expect.poll(() => sms.handed.length).toBe(handedBefore + 1);
        const { claimedUnsent } = await counts();
        expect(claimedUnsent, `after answer ${step + 1}`).toBeLessThanOrEqual(CLAIM_AHEAD);
        most = Math.max(most, claimedUnsent);
      }
      // Claiming ahead did happen (well beyond the free slots), and the queue behind it was left alone.
      expect(most).toBeGreaterThan(SEND_CONCURRENCY);
      const stalled = await counts();
      expect(stalled.claimedUnsent).toBeLessThanOrEqual(CLAIM_AHEAD);
      expect(stalled.queued).toBeGreaterThanOrEqual(count - sms.handed.filter((m) => m.to === ivy.phone).length - CLAIM_AHEAD);
    } finally {
      sms.release();
    }
    await server.app.flush();
    const sent = await query<{ n: number }>(db, `select count(*)::int as n from messages where user_id = '${ivy.id}' and kind = 'reply' and status = 'sent'`);
    expect(sent[0]!.n).toBe(count);
  });

  it('a reply racing the claim of many automated messages: each is either sent or cancelled, never both', async () => {
    const alan = await contact('Alan Turing');
    const pending = await Promise.all(Array.from({ length: 40 }, () => automated(alan.id, alan.phone)));
    server.app.services.messages.enqueue(...pending);
    const res = await reply(alan.id, 'We will call you today.');
    expect(res.status).toBe(201);
    await server.app.flush();
    const statuses = await query<{ id: string; status: string }>(db, `select id, status from messages where user_id = '${alan.id}' and kind = 'booking_reminder'`);
    const handed = new Set(sms.handed.map((m) => m.id));
    for (const { id, status } of statuses) {
      expect(['sent', 'cancelled'], id).toContain(status);
      expect(handed.has(id), id).toBe(status === 'sent');
    }
    expect(res.body.cancelled_message_ids.every((id: string) => statuses.find((s) => s.id === id)?.status === 'cancelled')).toBe(true);
  });

  it('pausing by PATCH holds back a message queued before it: the claim cancels it', async () => {
    const bea = await contact('Bea Arthur');
    const queued = await automated(bea.id, bea.phone);
    expect((await call(server.url, 'PATCH', `/contacts/${bea.id}`, { headers: staff.headers, json: { automation_paused: true } })).status).toBe(200);
    server.app.services.messages.enqueue(queued);
    await server.app.flush();
    expect(await row(queued.id)).toMatchObject({ status: 'cancelled', cancel_reason: 'automation_paused' });
    expect(handedTo(bea.phone)).toHaveLength(1);
  });

  it('a failing provider fails nothing: 201s, the messages marked failed, sms_failed alerts, no phone or text in logs', async () => {
    const phone = uniquePhone();
    sms.failing.add(phone);
    const created = await post('/contacts', admin, { name: 'Unlucky Recipient', phone });
    expect(created.status).toBe(201);
    // The welcome goes (and fails) first: a reply committed before its claim would cancel it.
    await server.app.flush();
    const id = created.body.contact.id as string;
    const res = await reply(id, 'Secret appointment details for Unlucky');
    expect(res.status).toBe(201);
    await server.app.flush();
    expect(await row(created.body.welcome_message_id)).toMatchObject({ status: 'failed' });
    expect(await row(res.body.message.id)).toMatchObject({ status: 'failed' });
    const alerts = await server.app.services.alerts.list({ type: 'sms_failed' });
    for (const messageId of [created.body.welcome_message_id, res.body.message.id]) {
      expect(alerts.find((a) => a.context.message_id === messageId)).toMatchObject({ context: { user_id: id } });
    }
    expect((await get(`/contacts/${id}`)).body.contact).toMatchObject({ name: 'Unlucky Recipient', automation_paused: true });
    const logs = server.logs.join('\n');
    expect(logs).not.toContain(phone.slice(2));
    expect(logs).not.toContain('Secret appointment');
    expect(JSON.stringify(alerts)).not.toContain(phone.slice(2));
  });

  it('records inbound messages without sending or pausing, and lists conversations page by page with filters', async () => {
    const cleo = await contact('Cleo Patra');
    const inbound = [];
    for (const body of ['Can I move my visit?', 'Thursday would be better']) {
      const res = await post('/messages', staff.headers, { contact_id: cleo.id, direction: 'inbound', body });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ automation_paused: false, cancelled_message_ids: [], message: { direction: 'inbound', status: 'received', kind: 'inbound', automated: false, provider: 'recorded', body } });
      inbound.push(res.body.message.id as string);
    }
    await server.app.flush();
    expect(handedTo(cleo.phone)).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/messages/${cleo.id}?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.messages).toHaveLength(1);
      seen.push(res.body.messages[0].id);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...inbound].reverse().concat(cleo.welcomeId));

    const ids = async (path: string) => ((await get(path)).body.messages as { id: string }[]).map((m) => m.id);
    expect(await ids(`/messages/${cleo.id}?direction=inbound`)).toEqual([...inbound].reverse());
    expect(await ids(`/messages/${cleo.id}?automated=true`)).toEqual([cleo.welcomeId]);
    expect(await ids(`/messages/${cleo.id}?status=received&kind=inbound`)).toEqual([...inbound].reverse());
    expect(await ids(`/messages?contact_id=${cleo.id}&direction=outbound`)).toEqual([cleo.welcomeId]);
    expect(await ids(`/messages?contact_id=${cleo.id}&status=cancelled`)).toEqual([]);
    const everyone = await get('/messages?limit=500', admin);
    expect(everyone.body.messages.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([...inbound, cleo.welcomeId]));
    // The admin listing shows the same messages, in the same shape.
    expect((await get(`/admin/messages?user_id=${cleo.id}`, admin)).body.messages.map((m: { id: string }) => m.id)).toEqual(seen);
  });

  it('refuses bad input with the documented 4xx', async () => {
    const dora = await contact('Dora Maar');
    expect((await get('/messages/user_00000000000000000000000000')).status).toBe(404);
    expect((await get(`/messages/${dora.id}?direction=sideways`)).status).toBe(400);
    expect((await get('/messages?limit=0')).status).toBe(400);
    expect((await get('/messages?cursor=bm9wZQ')).status).toBe(400);
    expect((await get('/messages?status=lost')).status).toBe(400);
    expect((await post('/messages', staff.headers, { contact_id: dora.id })).status).toBe(400);
    expect((await post('/messages', staff.headers, { contact_id: dora.id, body: '   ' })).status).toBe(400);
    expect((await post('/messages', staff.headers, { contact_id: dora.id, body: 'x'.repeat(1601) })).status).toBe(400);
    expect((await post('/messages', staff.headers, { contact_id: dora.id, body: 'hi', direction: 'both' })).status).toBe(400);
    expect((await post('/messages', staff.headers, { contact_id: 'lead_1', body: 'hi' })).status).toBe(400);
    const unknown = await post('/messages', staff.headers, { contact_id: 'user_00000000000000000000000000', body: 'hi' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await post('/contacts/user_00000000000000000000000000/resume-automation', admin)).status).toBe(404);
    const emailOnly = await post('/contacts', admin, { name: 'Mail Only', email: 'mail.only@example.com' });
    const noPhone = await reply(emailOnly.body.contact.id, 'hi');
    expect(noPhone).toMatchObject({ status: 409, body: { code: 'NO_PHONE', error: 'The contact has no phone number' } });
    // Nothing was paused by the refusals.
    expect((await get(`/contacts/${dora.id}`)).body.contact.automation_paused).toBe(false);
  });

  it('honours Idempotency-Key: a retried reply is one message, one pause', async () => {
    const eve = await contact('Eve Curie');
    const headers = { ...staff.headers, 'idempotency-key': `reply-${eve.id}` };
    const first = await reply(eve.id, 'One reply only', headers);
    const again = await reply(eve.id, 'One reply only', headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.message.id).toBe(first.body.message.id);
    expect((await reply(eve.id, 'A different text', headers)).status).toBe(422);
    await server.app.flush();
    expect(handedTo(eve.phone).map((m) => m.body)).toEqual([expect.any(String), 'One reply only']);
    // One key for a resume is one contact's: on another contact it is a conflict, not a replay.
    const key = { ...admin, 'idempotency-key': `resume-${eve.id}` };
    expect((await post(`/contacts/${eve.id}/resume-automation`, key)).status).toBe(200);
    expect((await post(`/contacts/${(await contact('Other')).id}/resume-automation`, key)).status).toBe(422);
  });

  it('keeps message text sealed at rest', async () => {
    const fay = await contact('Fay Wray');
    const res = await reply(fay.id, 'Plaintext must not be stored');
    await server.app.flush();
    const [stored] = await query<Record<string, unknown>>(db, `select * from messages where id = '${res.body.message.id}'`);
    expect(JSON.stringify(stored)).not.toContain('Plaintext must not');
    expect(JSON.stringify(stored)).not.toContain(fay.phone.slice(2));
  });

  it('a claim waits for the messages of writes in progress and shares one statement with them; with none in progress it goes at once', async () => {
    const ada = await contact();
    const [first, second, third] = [await automated(ada.id, ada.phone), await automated(ada.id, ada.phone), await automated(ada.id, ada.phone)];
    // A dispatcher of its own, whose every statement is counted: with the provider held, only
    // claims reach the database. Its linger is a minute, so nothing here depends on timing.
    let statements = 0;
    const counting: Database = {
      kind: db.kind,
      orm: db.orm,
      dataDir: db.dataDir,
      rows: (statement, on) => ((statements += 1), db.rows(statement, on)),
      transaction: (work) => db.transaction(work),
      close: async () => undefined,
    };
    const ctx: ServiceContext = { db: counting, clock: systemClock, logger: server.app.logger, config: server.config, providers: { sms: sms.provider } as Providers, instanceId: server.app.instanceId, phi: server.app.phi };
    const dispatcher = new OutboxDispatcher(ctx, server.app.services.alerts, { claimLingerMs: 60_000 });
    const reached = (...ids: string[]) => vi.waitFor(() => expect(sms.handed.map((m) => m.id)).toEqual(expect.arrayContaining(ids)), { timeout: 10_000 });
    let writing = 1;
    dispatcher.expectFrom(() => writing);
    sms.hold();
    try {
      dispatcher.add([first]);
      await new Promise((resolve) => setTimeout(resolve, 3 * CLAIM_LINGER_MS));
      expect(statements).toBe(0);
      dispatcher.add([second]);
      writing = 0;
      dispatcher.nudge();
      await reached(first.id, second.id);
      expect(statements).toBe(1);

      dispatcher.add([third]);
      await reached(third.id);
      expect(statements).toBe(2);
    } finally {
      sms.release();
    }
    await dispatcher.drain();
    for (const message of [first, second, third]) expect(await row(message.id)).toMatchObject({ status: 'sent' });
  });
});
