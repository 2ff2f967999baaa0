import { z } from 'zod';
import { Timestamp, prefixedId } from '../common.js';
import { ErrorText } from '../errors.js';
import { KeyEnvironment } from './partners.js';

/*
 * CCaaS screen-pop lookup (`clinicacrm-ccaas-lookup.md`): a contact centre sends the caller's
 * number and gets the patient's most recent case. The seed's field names and bodies are kept
 * exactly; only the admin/sandbox schemas at the end are ours.
 */

/** The seed's placeholder API key; the reference server's demo data accepts it so the seed's test script runs verbatim. */
export const SEED_LOOKUP_API_KEY = 'your-api-key-here';

/** The seed's test numbers: the first finds case "9", the second finds nothing. */
export const SEED_LOOKUP_PHONES = { found: '+39 06 2222 4444', notFound: '+39 123 456 7890' } as const;

/** The seed's `message` of the 400 for a missing phone, verbatim. */
export const LOOKUP_PHONE_REQUIRED_MESSAGE = 'Please provide a phone number in the query parameter: ?phone=+391234567890';

/** The seed's 404 `message`: `No case found for phone number: <the phone as received>`. */
export function lookupNotFoundMessage(phone: string): string {
  return `No case found for phone number: ${phone}`;
}

/** The seed's documented 200 body (its "Successful Response"), verbatim. */
export const SEED_LOOKUP_FOUND = {
  found: true,
  case_id: '9',
  patient: {
    name: 'Antonio Dorato',
    phone: '+39 06 2222 4444',
    home_phone: '+39 06 2222 4444',
    cell_phone: '+39 333 222 4444',
    email: 'antonio.dorato@email.com',
  },
  case: {
    status: 'APPUNTAMENTO',
    clinic: 'Centro Oculistico Roma',
    treatment: 'SMILE Surgery',
    disposition: 'SMILE evaluation',
    outcome: 'Professional athlete',
    created_at: '2025-07-08T16:57:06.836704+00:00',
    follow_up_date: '2025-07-12T16:57:06.836704+00:00',
  },
  screen_pop_url: 'https://crm-gules-six.vercel.app/it/cases/9',
  phone_searched: '+39 06 2222 4444',
} as const;

/** The seed's documented 404 body (its "No Case Found"), verbatim. */
export const SEED_LOOKUP_NOT_FOUND = {
  found: false,
  message: 'No case found for phone number: +391234567890',
  phone: '+391234567890',
} as const;

/**
 * The phone to look up, in any common shape: E.164 (`+390622224444`), international with
 * spaces (`+39 06 2222 4444`), `00` prefix (`0039 06 2222 4444`), a leading space where an
 * unencoded `+` in a query string became one, or national format (the server's default
 * country). Missing or blank is the seed's `Phone number is required`; a value that is no
 * phone number is `Invalid phone number`.
 */
export const LookupPhone = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? ErrorText.phoneRequired : ErrorText.invalidPhone) })
  .max(128, { error: ErrorText.invalidPhone })
  .regex(/\S/, { error: ErrorText.phoneRequired })
  .describe('Caller phone number, e.g. +39 06 2222 4444 (URL-encode it in a query string: %2B39%2006%202222%204444)');

/** Query of `GET /api/lookup`. */
export const LookupQuery = z.object({ phone: LookupPhone });

/** Body of `POST /api/lookup`. */
export const LookupRequest = z.object({ phone: LookupPhone }).meta({ id: 'LookupRequest', examples: [{ phone: '+391234567890' }] });
/** A parsed lookup request. */
export type LookupRequest = z.infer<typeof LookupRequest>;

const display = (what: string) => z.string().nullable().describe(`${what}, as stored for display (e.g. +39 06 2222 4444); null when unknown`);

/** The patient of a found case (seed `patient`). Phones are as stored, for display. */
export const LookupPatient = z
  .object({
    name: z.string(),
    phone: display('Primary phone'),
    home_phone: display('Home phone'),
    cell_phone: display('Cell phone'),
    email: z.string().nullable(),
  })
  .meta({ id: 'LookupPatient' });
/** A parsed lookup patient. */
export type LookupPatient = z.infer<typeof LookupPatient>;

/** The case itself (seed `case`). Timestamps keep their stored precision (microseconds). */
export const LookupCase = z
  .object({
    status: z.string().describe('Case status in the CRM, e.g. APPUNTAMENTO'),
    clinic: z.string().nullable(),
    treatment: z.string().nullable(),
    disposition: z.string().nullable(),
    outcome: z.string().nullable(),
    created_at: Timestamp,
    follow_up_date: Timestamp.nullable(),
  })
  .meta({ id: 'LookupCase' });
/** A parsed lookup case. */
export type LookupCase = z.infer<typeof LookupCase>;

/** 200 of the lookup: the most recent case of the patient with this number in any of their phone fields. */
export const LookupFound = z
  .object({
    found: z.literal(true),
    case_id: z.string().describe('Case id, e.g. "9"'),
    patient: LookupPatient,
    case: LookupCase,
    screen_pop_url: z.string().describe('Link that opens the case in the CRM, e.g. https://crm-gules-six.vercel.app/it/cases/9'),
    phone_searched: z.string().describe('The phone as received (after URL decoding)'),
  })
  .meta({ id: 'LookupFound', examples: [SEED_LOOKUP_FOUND] });
/** A parsed 200 of the lookup. */
export type LookupFound = z.infer<typeof LookupFound>;

/**
 * 404 of the lookup: no case for this number. A normal outcome, not an error: a contact centre
 * shows its new-lead form. `phone` is the phone as received.
 */
export const LookupNotFound = z
  .object({
    found: z.literal(false),
    message: z.string().describe('No case found for phone number: <phone>'),
    phone: z.string().describe('The phone as received (after URL decoding)'),
  })
  .meta({ id: 'LookupNotFound', examples: [SEED_LOOKUP_NOT_FOUND] });
/** A parsed 404 of the lookup. */
export type LookupNotFound = z.infer<typeof LookupNotFound>;

/** Either answer of a lookup; narrow on `found`. */
export type LookupResult = LookupFound | LookupNotFound;

// --- Admin and sandbox (ours) ---

/** A lookup API key as stored (the key itself is shown once, at creation). */
export const LookupKeyInfo = z
  .object({
    id: prefixedId('lkey'),
    name: z.string().describe('What the key is for, e.g. "Genesys production"'),
    prefix: z.string().describe('First characters of the key, to recognise it'),
    created_at: Timestamp,
    revoked_at: Timestamp.nullable(),
  })
  .meta({ id: 'LookupKeyInfo' });
/** A parsed lookup key. */
export type LookupKeyInfo = z.infer<typeof LookupKeyInfo>;

/** All lookup keys, newest first. */
export const LookupKeyList = z.object({ keys: z.array(LookupKeyInfo) }).meta({ id: 'LookupKeyList' });

/** Body of `POST /admin/lookup/keys`. */
export const CreateLookupKeyRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    environment: KeyEnvironment.default('live'),
  })
  .meta({ id: 'CreateLookupKeyRequest' });

/** A new lookup key: the only time it is shown. */
export const CreateLookupKeyResponse = z
  .object({ api_key: z.string().describe('lookup_<env>_<random>; send as x-api-key or Authorization: Bearer'), key: LookupKeyInfo })
  .meta({ id: 'CreateLookupKeyResponse' });

/** `{ key }` after a revocation. */
export const LookupKeyResponse = z.object({ key: LookupKeyInfo }).meta({ id: 'LookupKeyResponse' });

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();
const optionalPhone = z.string().trim().min(1).max(64).nullable().optional().describe('Any common shape; stored as given for display and as E.164 for lookups');

/** A new patient, inside {@link CreateLookupCaseRequest}. At least one phone is required. */
export const NewLookupPatient = z
  .object({
    name: z.string().trim().min(1).max(200),
    phone: optionalPhone,
    home_phone: optionalPhone,
    cell_phone: optionalPhone,
    email: z.email().max(320).nullable().optional(),
  })
  .refine((p) => Boolean(p.phone || p.home_phone || p.cell_phone), 'Give at least one of phone, home_phone, cell_phone')
  .meta({ id: 'NewLookupPatient' });

/**
 * Body of `POST /admin/lookup/cases` (sandbox): a case for an existing patient (`patient_id`)
 * or for a new one (`patient`).
 */
export const CreateLookupCaseRequest = z
  .object({
    patient_id: z.string().trim().min(1).max(32).optional().describe('An existing patient (from an earlier response)'),
    patient: NewLookupPatient.optional(),
    status: z.string().trim().min(1).max(64),
    clinic: optionalText(200),
    treatment: optionalText(200),
    disposition: optionalText(500),
    outcome: optionalText(500),
    created_at: Timestamp.optional().describe('Default: now'),
    follow_up_date: Timestamp.nullable().optional(),
  })
  .refine((c) => (c.patient_id === undefined) !== (c.patient === undefined), 'Give exactly one of patient_id and patient')
  .meta({ id: 'CreateLookupCaseRequest' });
/** A parsed create-case request. */
export type CreateLookupCaseRequest = z.infer<typeof CreateLookupCaseRequest>;

/** A case as the sandbox returns it: the lookup's shape plus the patient's ids. */
export const LookupCaseRecord = z
  .object({
    case_id: z.string(),
    patient_id: z.string(),
    careos_user_id: z.string().nullable().describe('The CareOS user (from lead ingestion) with one of these phones, if any'),
    patient: LookupPatient,
    case: LookupCase,
    screen_pop_url: z.string(),
  })
  .meta({ id: 'LookupCaseRecord' });
