import { ErrorEnvelope, hashPhone, IngestLeadResponse, Lead, PaymentList } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count, query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { encryptPhone, generateTestKeys } from './helpers/keys.js';
import { leadBody, uniqueConversation, uniquePhone } from './helpers/leads.js';
import { openJsonField, phoneToken } from './helpers/phi.js';
import { staffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const OTHER: PartnerFixture = { platform: 'carelink', apiKey: 'carelink_test_Zx8Pq2Lm5Nb7Vc1Kd4Hs9Jt3', salt: 'other-salt-77aa' };

/** The seed's "Test the Integration" request, byte for byte. */
const SEED_CURL_BODY = `{
    "source_platform": "businessos",
    "source_conversation_id": "test-123",
    "user_phone_hash": "abc123hash",
    "user_phone_encrypted": "base64encryptedphone",
    "user_name": "Test User",
    "user_language": "en",
    "category": "healthcare",
    "subcategory": "caregiver_hiring",
    "original_message": "I need a caregiver for my mom",
    "ai_extracted_details": {
      "urgency": "medium",
      "person_mentioned": "mom",
      "service_type": "caregiver"
    },
    "user_consent": true,
    "consent_timestamp": "2025-01-08T12:00:00Z",
    "lead_value_agreed": 10
  }`;

describe.each(backendNames())('lead ingestion (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, partners: [BUSINESSOS, OTHER] }) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const ingest = (body: unknown, headers: Record<string, string> = partnerHeaders()) =>
    call(server.url, 'POST', '/api/leads/ingest', { json: body, headers });

  it('answers the seed curl verbatim (demo data, placeholder ciphertext) with the seed decryption error', async () => {
    await server.app.seedDemo();
    const res = await call(server.url, 'POST', '/api/leads/ingest', {
      raw: SEED_CURL_BODY,
      headers: { 'Content-Type': 'application/json', 'X-API-Key': 'businessos_live_test123', 'X-Platform': 'businessos' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Failed to decrypt user data');
    expect(res.body.code).toBe('DECRYPTION_FAILED');
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
    expect(ErrorEnvelope.safeParse(res.body).success).toBe(true);
    expect(await count(db, 'leads', "source_conversation_id = 'test-123'")).toBe(0);
  });

  it('ingests a real encrypted lead: user, lead, pending payment due in 30 days, welcome SMS', async () => {
    const phone = uniquePhone();
    const body = leadBody({ keys, phone });
    const res = await ingest(body);
    expect(res.status).toBe(200);
    const parsed = IngestLeadResponse.parse(res.body);
    expect(parsed).toMatchObject({ success: true, careos_will_contact: true, is_new_user: true });
    expect(res.headers['idempotent-replayed']).toBeUndefined();

    const [user] = await query<{ id: string; source: string; profile_enc: string; language: string }>(db, `select * from users where phone_bidx = '${phoneToken(server.app, phone)}'`);
    expect(user).toMatchObject({ id: parsed.careos_user_id, source: 'businessos_referral', language: 'en' });
    expect(openJsonField(server.app, 'users.profile_enc', user!.profile_enc)).toEqual({ phone, name: 'John Doe' });
    const [lead] = await query<{ category: string; category_raw: string; value_cents: number; status: string }>(db, `select * from leads where id = '${parsed.careos_lead_id}'`);
    expect(lead).toMatchObject({ category: 'caregiver_hiring', category_raw: 'healthcare', value_cents: 1500, status: 'new' });
    const [payment] = await query<{ amount_cents: number; status: string; due_at: Date; created_at: Date }>(db, `select * from partner_payments where lead_id = '${parsed.careos_lead_id}'`);
    expect(payment).toMatchObject({ amount_cents: 1500, status: 'pending' });
    expect(new Date(payment!.due_at).getTime() - new Date(payment!.created_at).getTime()).toBe(30 * 24 * 3600 * 1000);
    await server.app.flush();
    const [message] = await query<{ status: string; kind: string; content_enc: string }>(db, `select * from messages where lead_id = '${parsed.careos_lead_id}'`);
    expect(message).toMatchObject({ status: 'sent', kind: 'welcome' });
    expect(openJsonField(server.app, 'messages.content_enc', message!.content_enc)).toEqual({ to: phone, body: expect.stringMatching(/^Hi John, this is CareOS\./) });
  });

  it('replays a resend with the same ids and creates nothing', async () => {
    const phone = uniquePhone();
    const body = leadBody({ keys, phone });
    const first = await ingest(body);
    const before = await Promise.all(['leads', 'users', 'partner_payments', 'messages'].map((t) => count(db, t)));
    // A fresh encryption of the same phone: ciphertexts differ, the lead is the same.
    const again = await ingest({ ...body, user_phone_encrypted: encryptPhone(keys.publicKeyPem, phone) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const after = await Promise.all(['leads', 'users', 'partner_payments', 'messages'].map((t) => count(db, t)));
    expect(after).toEqual(before);
  });

  it('refuses the same conversation id with a different body (422) and keeps the original', async () => {
    const body = leadBody({ keys });
    const first = await ingest(body);
    const res = await ingest({ ...body, original_message: 'Something else entirely' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
    const [lead] = await query<{ content_enc: string }>(db, `select content_enc from leads where id = '${first.body.careos_lead_id}'`);
    expect(openJsonField(server.app, 'leads.content_enc', lead!.content_enc).original_message).toBe(body.original_message);
  });

  it('keeps replaying after decryption would fail (e.g. the key rotated since)', async () => {
    const body = leadBody({ keys });
    const first = await ingest(body);
    const res = await ingest({ ...body, user_phone_encrypted: Buffer.alloc(256, 7).toString('base64') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(first.body);
  });

  it.each([
    ['false', { user_consent: false }],
    ['missing', { user_consent: undefined }],
    ['an invalid consent_timestamp', { consent_timestamp: 'yesterday' }],
  ])('refuses consent %s with "User consent required"', async (_label, overrides) => {
    const res = await ingest(leadBody({ keys }, overrides));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('User consent required');
    expect(res.body.code).toBe('CONSENT_REQUIRED');
    if ('consent_timestamp' in overrides) expect(res.body.message).toMatch(/ISO 8601/);
  });

  it('reports missing fields with the seed string', async () => {
    const res = await ingest(leadBody({ keys }, { user_phone_encrypted: undefined, original_message: '' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Missing required fields: user_phone_encrypted or original_message');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([
      { path: 'user_phone_encrypted', message: 'Required' },
      { path: 'original_message', message: 'Required' },
    ]);
  });

  it('reports other invalid fields as "Invalid request body" with details', async () => {
    const res = await ingest(leadBody({ keys }, { lead_value_agreed: 'ten', user_location_country: 'USA' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Invalid request body');
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['lead_value_agreed', 'user_location_country']);
  });

  it.each([
    ['a wrong key', { 'x-api-key': 'businessos_test_nope', 'x-platform': 'businessos' }],
    ['no key', { 'x-platform': 'businessos' }],
    ['no platform', { 'x-api-key': BUSINESSOS.apiKey }],
    ["another partner's platform", { 'x-api-key': BUSINESSOS.apiKey, 'x-platform': 'carelink' }],
    ['an unknown platform', { 'x-api-key': BUSINESSOS.apiKey, 'x-platform': 'nobody' }],
  ])('answers 401 "Invalid API key" to %s', async (_label, headers) => {
    const res = await ingest(leadBody({ keys }), headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'Invalid API key', code: 'AUTH_FAILED' });
  });

  it('refuses a source_platform that is not the X-Platform', async () => {
    const res = await ingest(leadBody({ keys }, { source_platform: 'carelink' }));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: 'source_platform', message: expect.stringContaining('businessos') }]);
  });

  it('answers a bad ciphertext with "Failed to decrypt user data"', async () => {
    const res = await ingest(leadBody({ keys }, { user_phone_encrypted: encryptPhone(generateTestKeys().publicKeyPem, uniquePhone()) }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'Failed to decrypt user data', code: 'DECRYPTION_FAILED' });
  });

  it('checks the phone hash (400 PHONE_HASH_MISMATCH), case-insensitively', async () => {
    const phone = uniquePhone();
    const wrong = await ingest(leadBody({ keys, phone, hashOf: '+14155559999' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'Phone hash mismatch', code: 'PHONE_HASH_MISMATCH' });
    const upper = await ingest(leadBody({ keys, phone }, { user_phone_hash: hashPhone(phone, BUSINESSOS.salt).toUpperCase() }));
    expect(upper.status).toBe(200);
  });

  it('normalises national numbers to E.164 and accepts the hash of either form', async () => {
    const national = '(415) 555-0142';
    const res = await ingest(leadBody({ keys, phone: national, hashOf: national }));
    expect(res.status).toBe(200);
    const [user] = await query<{ profile_enc: string; phone_bidx: string }>(db, `select profile_enc, phone_bidx from users where id = '${res.body.careos_user_id}'`);
    expect(openJsonField(server.app, 'users.profile_enc', user!.profile_enc).phone).toBe('+14155550142');
    expect(user!.phone_bidx).toBe(phoneToken(server.app, '+14155550142'));
    const again = await ingest(leadBody({ keys, phone: '415.555.0142', hashOf: '+14155550142' }));
    expect(again.status).toBe(200);
    expect(again.body.careos_user_id).toBe(res.body.careos_user_id);
    expect(again.body.is_new_user).toBe(false);
  });

  it('uses the key named by X-CareOS-Key-Id and refuses an unknown one', async () => {
    const ok = await ingest(leadBody({ keys }), partnerHeaders(BUSINESSOS, { 'x-careos-key-id': keys.keyId }));
    expect(ok.status).toBe(200);
    const unknown = await ingest(leadBody({ keys }), partnerHeaders(BUSINESSOS, { 'x-careos-key-id': '0123456789abcdef' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('DECRYPTION_FAILED');
    expect(unknown.body.message).toMatch(/GET \/api\/keys\/public/);
    const malformed = await ingest(leadBody({ keys }), partnerHeaders(BUSINESSOS, { 'x-careos-key-id': 'not-a-key-id' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('Invalid request headers');
  });

  it('maps categories (subcategory wins, unknown → general_healthcare, raw kept)', async () => {
    const cases: [string, string | undefined, string][] = [
      ['medical', 'therapy', 'mental_health'],
      ['nursing', undefined, 'home_health'],
      ['pets', 'grooming', 'general_healthcare'],
    ];
    for (const [category, subcategory, expected] of cases) {
      const res = await ingest(leadBody({ keys }, { category, subcategory }));
      const [lead] = await query<{ category: string; category_raw: string; subcategory: string | null }>(db, `select * from leads where id = '${res.body.careos_lead_id}'`);
      expect(lead).toMatchObject({ category: expected, category_raw: category, subcategory: subcategory ?? null });
    }
  });

  it.each([
    ['es', 'es', /^Hola John/],
    ['es-MX', 'es', /^Hola John/],
    ['pt_BR', 'pt', /^Olá John/],
    ['fr', 'fr', /^Bonjour John/],
    ['de', 'de', /^Hallo John/],
    ['it', 'it', /^Ciao John/],
    ['ja', 'en', /^Hi John/],
  ])('writes the welcome SMS for user_language %s in %s', async (tag, language, pattern) => {
    const res = await ingest(leadBody({ keys }, { user_language: tag }));
    expect(res.status).toBe(200);
    const [message] = await query<{ language: string; content_enc: string }>(db, `select language, content_enc from messages where lead_id = '${res.body.careos_lead_id}'`);
    expect(message!.language).toBe(language);
    expect(openJsonField<{ body: string }>(server.app, 'messages.content_enc', message!.content_enc).body).toMatch(pattern);
  });

  it("shows a partner its own lead with its payment, and 404 for anyone else's", async () => {
    const res = await ingest(leadBody({ keys }));
    const mine = await call(server.url, 'GET', `/api/leads/${res.body.careos_lead_id}`, { headers: partnerHeaders() });
    expect(mine.status).toBe(200);
    const lead = Lead.parse(mine.body);
    expect(lead).toMatchObject({ id: res.body.careos_lead_id, source_platform: 'businessos', lead_value_agreed: 15, category: 'caregiver_hiring' });
    expect(lead.payment).toMatchObject({ status: 'pending', amount: 15, partner: 'businessos' });
    expect(JSON.stringify(mine.body)).not.toMatch(/\+1415/);

    const theirs = await call(server.url, 'GET', `/api/leads/${res.body.careos_lead_id}`, { headers: partnerHeaders(OTHER) });
    expect(theirs.status).toBe(404);
    const missing = await call(server.url, 'GET', '/api/leads/lead_nope', { headers: partnerHeaders() });
    expect(missing.status).toBe(404);
  });

  it('lists a partner its own leads, newest first, a page at a time', async () => {
    const older = await ingest(leadBody({ keys }));
    const newer = await ingest(leadBody({ keys }));
    const first = await call(server.url, 'GET', '/api/leads?limit=1', { headers: partnerHeaders() });
    expect(first.status).toBe(200);
    expect(first.body.leads.map((l: { id: string }) => l.id)).toEqual([newer.body.careos_lead_id]);
    const second = await call(server.url, 'GET', `/api/leads?limit=1&cursor=${first.body.next_cursor}`, { headers: partnerHeaders() });
    expect(second.body.leads.map((l: { id: string }) => l.id)).toEqual([older.body.careos_lead_id]);
    const theirs = await call(server.url, 'GET', '/api/leads?limit=500', { headers: partnerHeaders(OTHER) });
    expect(theirs.status).toBe(200);
    expect(theirs.body.leads.map((l: { id: string }) => l.id)).not.toContain(newer.body.careos_lead_id);
    expect(theirs.body.leads.every((l: { source_platform: string }) => l.source_platform !== 'businessos')).toBe(true);
    expect((await call(server.url, 'GET', '/api/leads?limit=0', { headers: partnerHeaders() })).status).toBe(400);
    expect((await call(server.url, 'GET', '/api/leads')).status).toBe(401);
  });

  it("lists a partner's payments newest first with a status filter and cursor", async () => {
    const partner: PartnerFixture = OTHER;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ingest(leadBody({ keys, partner }), partnerHeaders(partner));
      expect(res.status).toBe(200);
      ids.push(res.body.careos_lead_id);
    }
    const page1 = await call(server.url, 'GET', '/api/partner/payments?limit=2&status=pending', { headers: partnerHeaders(partner) });
    expect(page1.status).toBe(200);
    const list1 = PaymentList.parse(page1.body);
    expect(list1.payments.map((p) => p.lead_id)).toEqual([ids[2], ids[1]]);
    expect(list1.next_cursor).toEqual(expect.any(String));
    const page2 = await call(server.url, 'GET', `/api/partner/payments?limit=2&cursor=${list1.next_cursor}`, { headers: partnerHeaders(partner) });
    const list2 = PaymentList.parse(page2.body);
    expect(list2.payments.map((p) => p.lead_id)).toEqual([ids[0]]);
    expect(list2.next_cursor).toBeNull();
    const paid = await call(server.url, 'GET', '/api/partner/payments?status=paid', { headers: partnerHeaders(partner) });
    expect(paid.body.payments).toEqual([]);
    const bad = await call(server.url, 'GET', '/api/partner/payments?cursor=bogus', { headers: partnerHeaders(partner) });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('Invalid query parameters');
    const tooMany = await call(server.url, 'GET', '/api/partner/payments?limit=501', { headers: partnerHeaders(partner) });
    expect(tooMany.status).toBe(400);
  });

  it('serves the current public key and its id', async () => {
    const res = await call(server.url, 'GET', '/api/keys/public');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key_id: keys.keyId, algorithm: 'RSA-OAEP-256', public_key: expect.stringContaining('BEGIN PUBLIC KEY') });
  });

  it('audits each welcome in its batch: one SMS_SENT row and one comms_audit row per welcome, ids only, chain intact', async () => {
    // Concurrent requests share batches: new people, a second lead of one of them, a replay.
    const phones = Array.from({ length: 24 }, () => uniquePhone());
    const bodies = phones.map((phone) => leadBody({ keys, phone }));
    const responses = await Promise.all([
      ...bodies.map((body) => ingest(body)),
      ingest(leadBody({ keys, phone: phones[0]!, conversationId: uniqueConversation() })),
      ingest(bodies[1]!),
    ]);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await server.app.flush();
    const leadIds = [...new Set(responses.map((r) => r.body.careos_lead_id as string))];
    expect(leadIds).toHaveLength(25);
    const list = leadIds.map((id) => `'${id}'`).join(', ');
    const welcomes = await query<{ id: string; user_id: string; lead_id: string; provider: string; partner_id: string }>(
      db,
      `select m.id, m.user_id, m.lead_id, m.provider, l.partner_id from messages m join leads l on l.id = m.lead_id where m.lead_id in (${list}) and m.kind = 'welcome'`,
    );
    // The second lead of a phone greets nobody: 24 welcomes for 25 leads.
    expect(welcomes).toHaveLength(24);
    const audits = await query<Record<string, unknown>>(
      db,
      `select a.*, c.message_id, c.client_id, c.channel, c.action, c.detail, c.provider as detail_provider
         from audit_log a join comms_audit c on c.audit_id = a.id where c.message_id in (${welcomes.map((w) => `'${w.id}'`).join(', ')})`,
    );
    expect(audits).toHaveLength(24);
    for (const welcome of welcomes) {
      const rows = audits.filter((a) => a.message_id === welcome.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        method: 'SMS_SENT',
        actor_type: 'system',
        actor_id: null,
        partner_id: welcome.partner_id,
        route: 'automation:welcome',
        subject_type: 'contact',
        subject_id: welcome.user_id,
        status: 201,
        request_id: welcome.id,
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        client_id: welcome.user_id,
        channel: 'sms',
        action: 'SMS_SENT',
        detail: null,
        detail_provider: welcome.provider,
      });
    }
    // Nothing else claims to have sent them: no other SMS_SENT row names these messages or people.
    const [others] = await query<{ n: number }>(
      db,
      `select count(*)::int as n from audit_log where method = 'SMS_SENT' and (request_id in (${welcomes.map((w) => `'${w.id}'`).join(', ')}) or subject_id in (${welcomes.map((w) => `'${w.user_id}'`).join(', ')}))`,
    );
    expect(others!.n).toBe(24);
    const everything = JSON.stringify(audits);
    for (const phone of phones) {
      expect(everything).not.toContain(phone);
      expect(everything).not.toContain(phone.slice(2));
    }
    expect(everything).not.toMatch(/Hi John|CareOS\./);

    const admin = await staffSession(server, 'admin');
    await server.app.flush();
    const verified = await call(server.url, 'GET', '/admin/audit/verify', { headers: admin.headers });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
  });

  it('stores no lead and no welcome when the welcome cannot be audited (one statement)', async () => {
    // The audit table refuses the welcome's row, as a full disk or a broken chain would: the
    // lead, its user and its welcome must not be stored without it.
    await query(db, "alter table audit_log add constraint refuse_welcomes check (route <> 'automation:welcome') not valid");
    const phone = uniquePhone();
    const body = leadBody({ keys, phone });
    try {
      const res = await ingest(body);
      expect(res.status).toBe(500);
    } finally {
      await query(db, 'alter table audit_log drop constraint refuse_welcomes');
    }
    expect(await count(db, 'leads', 'source_conversation_id = $1', body.source_conversation_id)).toBe(0);
    expect(await count(db, 'users', 'phone_bidx = $1', phoneToken(server.app, phone))).toBe(0);
    // Sent again once the audit works, it is created as new, welcome and audit row included.
    const again = await ingest(body);
    expect(again.status).toBe(200);
    expect(again.body.is_new_user).toBe(true);
    const [welcome] = await query<{ id: string }>(db, `select id from messages where lead_id = '${again.body.careos_lead_id}'`);
    expect(await count(db, 'comms_audit', 'message_id = $1', welcome!.id)).toBe(1);
  });

  it('reuses the user for a second lead from the same phone', async () => {
    const phone = uniquePhone();
    const first = await ingest(leadBody({ keys, phone }));
    const second = await ingest(leadBody({ keys, phone, conversationId: uniqueConversation() }));
    expect(second.status).toBe(200);
    expect(second.body.careos_user_id).toBe(first.body.careos_user_id);
    expect(second.body.is_new_user).toBe(false);
    expect(second.body.careos_lead_id).not.toBe(first.body.careos_lead_id);
    // The welcome greets the person once, with the lead that created them.
    expect(await count(db, 'messages', 'lead_id = $1', first.body.careos_lead_id)).toBe(1);
    expect(await count(db, 'messages', 'lead_id = $1', second.body.careos_lead_id)).toBe(0);
  });
});
