import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { blindIndex, encrypted, legacyPlaintext, ts } from './columns.js';
import { users } from './users.js';

/*
 * The CCaaS lookup's data (clinicacrm-ccaas-lookup.md): patients with three phone fields and
 * their cases. Ids are numbers shown as text ("9"), as in the seed; identities start at 1000
 * so the demo's fixed ids below that (the seed's case "9") never collide with created rows.
 */

/**
 * A patient of the CRM. Each phone is kept twice: as entered, encrypted, for display in the
 * screen pop (`+39 06 2222 4444`), and as the blind index of its E.164 form, the only form
 * lookups compare (DESIGN §4.4). One btree index per blind-index column lets a lookup across
 * all three run as a BitmapOr of index scans.
 */
export const patients = pgTable(
  'patients',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity({ startWith: 1000 }),
    /**
     * The patient's contact card — name, the three phones as entered and email — sealed as one
     * value: the JSON of the lookup's `patient` object. They are written together and every
     * screen pop shows all of them, and opening one value costs a fifth of opening five.
     */
    contactEnc: encrypted('contact_enc'),
    phoneBidx: blindIndex('phone_bidx'),
    homePhoneBidx: blindIndex('home_phone_bidx'),
    cellPhoneBidx: blindIndex('cell_phone_bidx'),
    /** The CareOS user (created by lead ingestion) with one of these phones, when there was one. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    name: legacyPlaintext('name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    phone: legacyPlaintext('phone'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    homePhone: legacyPlaintext('home_phone'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    cellPhone: legacyPlaintext('cell_phone'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    phoneE164: legacyPlaintext('phone_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    homePhoneE164: legacyPlaintext('home_phone_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    cellPhoneE164: legacyPlaintext('cell_phone_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    email: legacyPlaintext('email'),
  },
  (t) => [
    index('patients_phone_bidx_idx').on(t.phoneBidx),
    index('patients_home_phone_bidx_idx').on(t.homePhoneBidx),
    index('patients_cell_phone_bidx_idx').on(t.cellPhoneBidx),
  ],
);

/**
 * A patient's case. `created_at` keeps microseconds (the seed's timestamps have six digits);
 * the index on (patient_id, created_at) gives a patient's most recent case without a scan.
 */
export const cases = pgTable(
  'cases',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity({ startWith: 1000 }),
    patientId: bigint('patient_id', { mode: 'number' })
      .notNull()
      .references(() => patients.id),
    status: text('status').notNull(),
    clinic: text('clinic'),
    treatment: text('treatment'),
    /** The free-text notes about the patient, `{ disposition, outcome }`, sealed as one JSON value (see `contact_enc`). */
    notesEnc: encrypted('notes_enc'),
    createdAt: ts('created_at').notNull(),
    followUpDate: ts('follow_up_date'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    disposition: legacyPlaintext('disposition'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    outcome: legacyPlaintext('outcome'),
  },
  (t) => [index('cases_patient_created_idx').on(t.patientId, t.createdAt)],
);
