import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, ScaleSeedResult } from '../src/index.js';
import { lookupQuery } from '../src/services/lookup/cases.js';
import { scalePatientPhones } from '../src/services/lookup/scale-seed.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupPost } from './helpers/lookup.js';
import { openField, phoneToken } from './helpers/phi.js';

const keys = generateTestKeys();
const CASES = 30_000;

async function plan(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const rows = await db.rows<Record<string, string>>(sql`explain ${query}`);
  return rows.map((row) => Object.values(row)[0]).join('\n');
}

describe.each(backendNames())('lookup query plan at scale (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let seeded: ScaleSeedResult;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    await server.app.seedDemo();
    seeded = await server.app.seedLookupScale(CASES);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('generates the cases asked for, with patients whose phones the lookup finds', async () => {
    expect(seeded).toMatchObject({ cases: CASES, patients: Math.ceil(CASES / 1.25), firstPatientId: 1000 });
    const [counts] = await db.rows<{ patients: number; cases: number }>(sql`select (select count(*)::int from patients) as patients, (select count(*)::int from cases) as cases`);
    expect(Number(counts!.cases)).toBe(CASES + 10);
    for (const id of [seeded.firstPatientId, seeded.firstPatientId + 4, seeded.firstPatientId + 7777, seeded.lastPatientId]) {
      const phones = scalePatientPhones(id);
      for (const phone of [phones.primary, phones.landline, phones.mobile].filter((p): p is string => p !== null && (p !== phones.landline || id % 2 === 0 || id % 3 === 0 || id % 5 === 0))) {
        const res = await lookupPost(server, phone);
        expect(res.status, `${id} ${phone}`).toBe(200);
      }
    }
    // Patients of the first quarter have two cases; the newer one pops.
    const res = await lookupPost(server, scalePatientPhones(seeded.firstPatientId).primary);
    const [newest] = await db.rows<{ id: string }>(sql`select id::text as id from cases where patient_id = ${seeded.firstPatientId} order by created_at desc limit 1`);
    expect(res.body.case_id).toBe(newest!.id);
  });

  it('looks a phone up through the three blind-index indexes and the case index, never a sequential scan', async () => {
    for (const e164 of ['+390622224444', '+391234567890', scalePatientPhones(seeded.firstPatientId + 12).landline.replaceAll(' ', '')]) {
      const text = await plan(db, lookupQuery(phoneToken(server.app, e164)));
      expect(text, text).not.toMatch(/Seq Scan on (patients|cases)/);
      expect(text, text).toMatch(/BitmapOr/);
      for (const index of ['patients_phone_bidx_idx', 'patients_home_phone_bidx_idx', 'patients_cell_phone_bidx_idx', 'cases_patient_created_idx']) expect(text, text).toContain(index);
    }
    // The tables are big enough that a search on a column without an index is a sequential scan.
    const unindexed = await plan(db, sql`select id from patients where contact_enc = ${'v1.nothing'}`);
    expect(unindexed).toMatch(/Seq Scan on patients/);
  });

  it('stores the generated patients\' PHI sealed, and reads it back', async () => {
    const id = seeded.firstPatientId + 12;
    const [row] = await db.rows<Record<string, string | null>>(sql`select * from patients where id = ${id}`);
    const phones = scalePatientPhones(id);
    expect(row).toMatchObject({ name: null, phone: null, phone_e164: null, email: null, phone_bidx: phoneToken(server.app, phones.primary.replaceAll(' ', '')) });
    const card = JSON.parse(openField(server.app, 'patients.contact_enc', row!.contact_enc)!);
    expect(card).toMatchObject({ phone: phones.primary, cell_phone: phones.mobile, email: expect.stringMatching(/@example\.com$/) });
    expect(card.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-zA-Z ]+$/);
  });
});
