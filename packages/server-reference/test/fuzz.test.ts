import { ErrorEnvelope } from '@careos/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESSOS, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { FUZZ_SEED, headerText } from './helpers/fuzz.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();

/** Any JSON value, strings included from the whole of Unicode and sometimes very long. */
const jsonValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -0.001, '', ' ', [], {}) },
);

const FIELDS = Object.keys(leadBody({ keys }));

/** A lead with some fields replaced, removed or added, and a ciphertext nobody can decrypt. */
const mutatedLead = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 4 }),
    remove: fc.subarray(FIELDS, { maxLength: 3 }),
    extra: fc.dictionary(fc.string({ maxLength: 12 }), jsonValue, { maxKeys: 2 }),
    ciphertext: fc.oneof(fc.base64String({ minLength: 4, maxLength: 400 }), fc.uint8Array({ minLength: 256, maxLength: 256 }).map((b) => Buffer.from(b).toString('base64'))),
    conversation: fc.oneof(fc.constant('fuzz-shared'), fc.string({ minLength: 1, maxLength: 40 })),
  })
  .map(({ replace, remove, extra, ciphertext, conversation }) => {
    const body: Record<string, unknown> = { ...leadBody({ keys }), user_phone_encrypted: ciphertext, source_conversation_id: conversation, ...extra, ...replace };
    for (const field of remove) delete body[field];
    return JSON.stringify(body);
  });

/** A valid lead but for what it carries: undecryptable phones, odd details, odd languages, any header mix. */
const nearlyValidLead = fc
  .record({
    ciphertext: fc.oneof(fc.base64String({ minLength: 4, maxLength: 400 }), fc.uint8Array({ minLength: 256, maxLength: 256 }).map((b) => Buffer.from(b).toString('base64'))),
    conversation: fc.string({ minLength: 1, maxLength: 255 }).filter((c) => c.trim().length > 0 && !c.includes('\u0000')),
    details: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    language: fc.constantFrom('en', 'es-MX', 'pt_BR', 'zh-Hant-TW', 'xx'),
    hash: fc.oneof(fc.constant(undefined), fc.stringMatching(/^[0-9a-fA-F]{64}$/)),
  })
  .map(({ ciphertext, conversation, details, language, hash }) =>
    JSON.stringify({
      ...leadBody({ keys }),
      user_phone_encrypted: ciphertext,
      source_conversation_id: conversation,
      ai_extracted_details: details,
      user_language: language,
      ...(hash ? { user_phone_hash: hash } : {}),
    }),
  );

const body = fc.oneof(
  { weight: 4, arbitrary: nearlyValidLead },
  { weight: 5, arbitrary: mutatedLead },
  { weight: 2, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', '[[[[', 'null', '"str"', '{"user_consent": tru}') },
);

const request = fc.record({
  body,
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/problem+json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin-9', '') },
    { weight: 1, arbitrary: headerText(60) },
  ),
  apiKey: fc.oneof({ weight: 8, arbitrary: fc.constant(BUSINESSOS.apiKey) }, { weight: 1, arbitrary: headerText(300) }),
  platform: fc.oneof({ weight: 8, arbitrary: fc.constant('businessos') }, { weight: 1, arbitrary: headerText(80) }),
  idempotencyKey: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerText(40) }, { weight: 1, arbitrary: headerText(1200) }),
  keyId: fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(keys.keyId) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{16}$/) },
    { weight: 1, arbitrary: headerText(600) },
  ),
  requestId: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerText(300) }),
});

describe.each(backendNames())('fuzzing the ingest route (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    server = await startApp({ db: await backend.open(), env: testEnv({ keys, extra: { CAREOS_RATE_LIMIT_LEADS: '1000000' } }) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('answers 1,000 random requests with a 4xx error envelope, never a 5xx', { timeout: 180_000 }, async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { 'x-api-key': r.apiKey, 'x-platform': r.platform, 'content-type': r.contentType };
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        if (r.keyId !== undefined) headers['x-careos-key-id'] = r.keyId;
        if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
        const res = await call(server.url, 'POST', '/api/leads/ingest', { raw: r.body, headers });
        outcomes.set(`${res.status} ${res.body?.error}`, (outcomes.get(`${res.status} ${res.body?.error}`) ?? 0) + 1);
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
        expect(res.status, res.text).toBeLessThan(500);
        expect(ErrorEnvelope.safeParse(res.body).success, res.text).toBe(true);
      }),
      { numRuns: 1000, seed: FUZZ_SEED },
    );
    // The generator must reach past the outer checks: decryption and the lead logic get exercised.
    expect(outcomes.get('400 Failed to decrypt user data') ?? 0).toBeGreaterThan(50);
    expect(outcomes.get('400 User consent required') ?? 0).toBeGreaterThan(10);
    expect(server.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
