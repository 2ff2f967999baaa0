import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { users } from './users.js';

/*
 * The CCaaS lookup's data (clinicacrm-ccaas-lookup.md): patients with three phone fields and
 * their cases. Ids are numbers shown as text ("9"), as in the seed; identities start at 1000
 * so the demo's fixed ids below that (the seed's case "9") never collide with created rows.
 */

/**
 * A patient of the CRM. Each phone is kept twice: as entered, for display in the screen pop
 * (`+39 06 2222 4444`), and as E.164, the only form lookups compare (DESIGN §4.4). One btree
 * index per E.164 column lets a lookup across all three run as a BitmapOr of index scans.
 */
export const patients = pgTable(
  'patients',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity({ startWith: 1000 }),
    name: text('name').notNull(),
    phone: text('phone'),
    homePhone: text('home_phone'),
    cellPhone: text('cell_phone'),
    phoneE164: text('phone_e164'),
    homePhoneE164: text('home_phone_e164'),
    cellPhoneE164: text('cell_phone_e164'),
    email: text('email'),
    /** The CareOS user (created by lead ingestion) with one of these phones, when there was one. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('patients_phone_e164_idx').on(t.phoneE164),
    index('patients_home_phone_e164_idx').on(t.homePhoneE164),
    index('patients_cell_phone_e164_idx').on(t.cellPhoneE164),
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
    disposition: text('disposition'),
    outcome: text('outcome'),
    createdAt: ts('created_at').notNull(),
    followUpDate: ts('follow_up_date'),
  },
  (t) => [index('cases_patient_created_idx').on(t.patientId, t.createdAt)],
);
