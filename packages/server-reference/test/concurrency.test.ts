import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count } from './helpers/db.js';
import { call } from './helpers/http.js';
import { encryptPhone, generateTestKeys } from './helpers/keys.js';
import { leadBody, uniqueConversation, uniquePhone } from './helpers/leads.js';
import { phoneToken } from './helpers/phi.js';

const keys = generateTestKeys();

describe.each(backendNames())('concurrent ingestion (%s)', (backendName) => {
  let backend: TestBackend;
  let servers: TestApp[];
  let db: Database;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    // Two instances on one database, each with its own connection (pool) where the engine has them.
    const second = backendName === 'postgres' ? await backend.open() : db;
    servers = [await startApp({ db, env: testEnv({ keys }) }), await startApp({ db: second, env: testEnv({ keys }) })];
  });
  afterAll(async () => {
    for (const server of servers ?? []) await server.close();
    await backend?.dispose();
  });

  it('creates exactly one lead, user, payment and message for 20 concurrent duplicates across two instances', async () => {
    const phone = uniquePhone();
    const body = leadBody({ keys, phone });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(servers[i % 2]!.url, 'POST', '/api/leads/ingest', {
          json: { ...body, user_phone_encrypted: encryptPhone(keys.publicKeyPem, phone) },
          headers: partnerHeaders(),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = new Set(responses.map((r) => `${r.body.careos_lead_id}/${r.body.careos_user_id}/${r.body.is_new_user}`));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    const leadId = responses[0]!.body.careos_lead_id as string;
    expect(await count(db, 'leads', 'source_conversation_id = $1', body.source_conversation_id)).toBe(1);
    expect(await count(db, 'users', 'phone_bidx = $1', phoneToken(servers[0]!.app, phone))).toBe(1);
    expect(await count(db, 'partner_payments', 'lead_id = $1', leadId)).toBe(1);
    expect(await count(db, 'messages', 'lead_id = $1', leadId)).toBe(1);
  });

  it('serves concurrent different leads for one phone: one user, every lead, one is_new_user', async () => {
    const phone = uniquePhone();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(servers[i % 2]!.url, 'POST', '/api/leads/ingest', {
          json: leadBody({ keys, phone, conversationId: uniqueConversation('same-phone') }),
          headers: partnerHeaders(),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(new Set(responses.map((r) => r.body.careos_user_id)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.careos_lead_id)).size).toBe(12);
    expect(responses.filter((r) => r.body.is_new_user)).toHaveLength(1);
    expect(await count(db, 'users', 'phone_bidx = $1', phoneToken(servers[0]!.app, phone))).toBe(1);
    expect(await count(db, 'leads', 'user_id = $1', responses[0]!.body.careos_user_id)).toBe(12);
  });

  it('settles a burst of mixed leads, replays and conflicts in one batch correctly', async () => {
    const base = leadBody({ keys });
    const conflicting = { ...base, original_message: 'changed' };
    const others = Array.from({ length: 10 }, () => leadBody({ keys }));
    const sent = [base, ...others, base, conflicting];
    const responses = await Promise.all(sent.map((json) => call(servers[0]!.url, 'POST', '/api/leads/ingest', { json, headers: partnerHeaders() })));
    const statuses = responses.map((r) => r.status);
    // The unrelated leads all go through, each with its own lead.
    expect(statuses.slice(1, 11)).toEqual(Array(10).fill(200));
    expect(new Set(responses.slice(1, 11).map((r) => r.body.careos_lead_id)).size).toBe(10);
    // `base` (sent twice) and `conflicting` share a conversation id and race: whichever is
    // written first wins; the other version is refused, and the duplicate follows its twin.
    const baseWon = statuses[0] === 200;
    expect([statuses[0], statuses[11], statuses[12]]).toEqual(baseWon ? [200, 200, 422] : [422, 422, 200]);
    if (baseWon) expect(responses[11]!.body).toEqual(responses[0]!.body);
    const winner = responses[baseWon ? 0 : 12]!.body.careos_lead_id;
    expect(responses.slice(1, 11).map((r) => r.body.careos_lead_id)).not.toContain(winner);
  });
});
