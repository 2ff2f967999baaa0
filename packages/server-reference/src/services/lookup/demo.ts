import { SEED_LOOKUP_API_KEY, SEED_LOOKUP_PHONES, tryNormalizePhone } from '@careos/contract';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { ServiceContext } from '../context.js';
import type { FieldCrypto } from '../field-crypto.js';
import { SettingKey, type SettingsService } from '../settings.js';
import type { LookupAnswerCache } from './answer-cache.js';
import { DEMO_CASES, DEMO_PATIENTS } from './demo-data.js';
import type { LookupKeyService } from './keys.js';
import { sealCaseNotes, sealPatient, userOfPhones } from './patient-fields.js';

/** The lookup part of `demo-credentials.json`. */
export interface LookupDemoCredentials {
  /** A generated demo lookup key (send as `x-api-key` or `Authorization: Bearer`). */
  apiKey: string;
  /** The seed's placeholder key, accepted too so the seed's test script runs verbatim. */
  seedApiKey: string;
  /** The seed's test numbers: `found` pops case "9", `notFound` answers 404. */
  phones: { found: string; notFound: string };
}

/**
 * Seeds the lookup demo: the demo patients and cases (fixed ids, so the seed's case "9" is
 * case 9), the seed's placeholder key and a generated key. Running it again adds nothing.
 */
export class LookupDemo {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly keys: LookupKeyService,
    private readonly answers: LookupAnswerCache,
  ) {}

  /** Seeds (or finds) the demo records and returns the credentials. */
  async seed(settings: SettingsService): Promise<LookupDemoCredentials> {
    await seedDemoCases(this.ctx.db, this.ctx.phi, this.answers);
    await this.keys.ensure(SEED_LOOKUP_API_KEY, 'Seed placeholder key (demo)', 'demo');
    let apiKey = await settings.get(SettingKey.demoLookup);
    if (apiKey === null || !(await this.keys.works(apiKey))) {
      ({ apiKey } = await this.keys.create({ name: 'Demo contact centre', environment: 'test', source: 'demo' }));
      await settings.set(SettingKey.demoLookup, apiKey);
    }
    return { apiKey, seedApiKey: SEED_LOOKUP_API_KEY, phones: { ...SEED_LOOKUP_PHONES } };
  }
}

/**
 * Inserts the demo patients and cases unless they are there (their PHI sealed, phones indexed). The demo's phones are written
 * internationally, so their E.164 form does not depend on the configured default country.
 */
async function seedDemoCases(db: Database, crypto: FieldCrypto, answers: LookupAnswerCache): Promise<void> {
  const e164 = (phone: string | null) => (phone === null ? null : tryNormalizePhone(phone));
  await db.transaction(async (run) => {
    for (const p of DEMO_PATIENTS) {
      const s = sealPatient(p, { phone: e164(p.phone), homePhone: e164(p.homePhone), cellPhone: e164(p.cellPhone) }, crypto);
      await run(sql`
        insert into patients (id, contact_enc, phone_bidx, home_phone_bidx, cell_phone_bidx, user_id, created_at)
        values (${p.id}, ${s.contactEnc}, ${s.phoneBidx}, ${s.homePhoneBidx}, ${s.cellPhoneBidx}, ${userOfPhones(s)},
                (select min(created_at) from (values ${sql.join(
                  DEMO_CASES.filter((c) => c.patientId === p.id).map((c) => sql`(${c.createdAt}::timestamptz)`),
                  sql`, `,
                )}) as t(created_at)))
        on conflict (id) do nothing`);
    }
    for (const c of DEMO_CASES) {
      await run(sql`
        insert into cases (id, patient_id, status, clinic, treatment, notes_enc, created_at, follow_up_date)
        values (${c.id}, ${c.patientId}, ${c.status}, ${c.clinic}, ${c.treatment}, ${sealCaseNotes(c, crypto.cipher)},
                ${c.createdAt}::timestamptz, ${c.followUpDate}::timestamptz)
        on conflict (id) do nothing`);
    }
    await answers.announce(run);
  });
  answers.invalidate();
}
