import { sql, type SQL } from 'drizzle-orm';
import { patients } from '../../db/schema/index.js';
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

/** A patient's PHI as stored: sealed fields and the blind indexes of the three phones. */
export interface PatientSealed {
  nameEnc: string;
  phoneEnc: string | null;
  homePhoneEnc: string | null;
  cellPhoneEnc: string | null;
  emailEnc: string | null;
  phoneBidx: string | null;
  homePhoneBidx: string | null;
  cellPhoneBidx: string | null;
}

/** Seals a patient's fields and indexes its phones, for every path that writes patients. */
export function sealPatient(plain: PatientPlain, e164: PatientE164, crypto: FieldCrypto): PatientSealed {
  const { cipher, blind } = crypto;
  return {
    nameEnc: cipher.seal(patients.nameEnc, plain.name),
    phoneEnc: cipher.sealOrNull(patients.phoneEnc, plain.phone),
    homePhoneEnc: cipher.sealOrNull(patients.homePhoneEnc, plain.homePhone),
    cellPhoneEnc: cipher.sealOrNull(patients.cellPhoneEnc, plain.cellPhone),
    emailEnc: cipher.sealOrNull(patients.emailEnc, plain.email),
    phoneBidx: blind.phoneOrNull(e164.phone),
    homePhoneBidx: blind.phoneOrNull(e164.homePhone),
    cellPhoneBidx: blind.phoneOrNull(e164.cellPhone),
  };
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
