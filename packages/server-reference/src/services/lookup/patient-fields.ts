import type { LookupPatient } from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import { cases, patients } from '../../db/schema/index.js';
import type { FieldCrypto } from '../field-crypto.js';

/** A patient's PHI as entered (phones as the CRM shows them). */
export interface PatientPlain {
  name: string;
  phone: string | null;
  homePhone: string | null;
  cellPhone: string | null;
  email: string | null;
}

/** The E.164 forms of a patient's three phones, the only form compared. */
export interface PatientE164 {
  phone: string | null;
  homePhone: string | null;
  cellPhone: string | null;
}

/** A patient's PHI as stored: the sealed contact card and the blind indexes of the three phones. */
export interface PatientSealed {
  contactEnc: string;
  phoneBidx: string | null;
  homePhoneBidx: string | null;
  cellPhoneBidx: string | null;
}

/** A case's free-text notes. */
export interface CaseNotes {
  disposition: string | null;
  outcome: string | null;
}

/** Seals a patient's contact card and indexes its phones, for every path that writes patients. */
export function sealPatient(plain: PatientPlain, e164: PatientE164, crypto: FieldCrypto): PatientSealed {
  const { cipher, blind } = crypto;
  // In the lookup's own key order, so the opened card is the answer's `patient` as it is.
  const card: LookupPatient = { name: plain.name, phone: plain.phone, home_phone: plain.homePhone, cell_phone: plain.cellPhone, email: plain.email };
  return {
    contactEnc: cipher.sealJson(patients.contactEnc, card),
    phoneBidx: blind.phoneOrNull(e164.phone),
    homePhoneBidx: blind.phoneOrNull(e164.homePhone),
    cellPhoneBidx: blind.phoneOrNull(e164.cellPhone),
  };
}

/** Opens a patient's contact card. */
export function openPatient(contactEnc: string, cipher: FieldCipher): LookupPatient {
  return cipher.openJson<LookupPatient>(patients.contactEnc, contactEnc);
}

/** Seals a case's notes; `null` when it has none. */
export function sealCaseNotes(notes: CaseNotes, cipher: FieldCipher): string | null {
  return notes.disposition === null && notes.outcome === null ? null : cipher.sealJson(cases.notesEnc, { disposition: notes.disposition, outcome: notes.outcome });
}

/** Opens a case's notes (`null` stored: none). */
export function openCaseNotes(notesEnc: string | null, cipher: FieldCipher): CaseNotes {
  return notesEnc === null ? { disposition: null, outcome: null } : cipher.openJson<CaseNotes>(cases.notesEnc, notesEnc);
}

/**
 * The CareOS user (created by lead ingestion) with one of the patient's phones, the oldest if
 * several, as an SQL subquery: both sides hold the same blind index of the E.164 phone.
 */
export function userOfPhones(sealed: PatientSealed): SQL {
  const tokens = [...new Set([sealed.phoneBidx, sealed.homePhoneBidx, sealed.cellPhoneBidx].filter((t): t is string => t !== null))];
  if (tokens.length === 0) return sql`null`;
  return sql`(select id from users where phone_bidx in (${sql.join(
    tokens.map((t) => sql`${t}`),
    sql`, `,
  )}) order by created_at limit 1)`;
}
