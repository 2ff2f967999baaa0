import {
  ErrorCode,
  ErrorText,
  lookupNotFoundMessage,
  tryNormalizePhone,
  type CreateLookupCaseRequest,
  type LookupCaseRecord,
  type LookupCase,
  type LookupFound,
  type LookupNotFound,
  type LookupPatient,
} from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Database } from '../../db/database.js';
import { DomainError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import type { CachedAnswer, LookupAnswerCache } from './answer-cache.js';
import { openCaseNotes, openPatient, sealCaseNotes, sealPatient, userOfPhones } from './patient-fields.js';
import { RecentPhoneInputs, type CountryCode } from './phone-input.js';

/** The sandbox's view of a case: the lookup's shape plus the patient's ids. */
export type CaseRecord = z.infer<typeof LookupCaseRecord>;

/** A lookup's answer, and the case it found for the audit row (never the phone). */
export interface LookupOutcome {
  body: LookupFound | LookupNotFound;
  caseId: string | null;
}

/**
 * A case of `patients p join cases c` as one JSON array text: the case id, the patient's sealed
 * contact card, the case's clear fields, its sealed notes and its two timestamps (see
 * {@link caseFromDoc}). One text column instead of eight: on PGlite, decoding each column of a
 * result row costs more than having the database build the array.
 */
type CaseDoc = [
  caseId: string,
  contactEnc: string,
  status: string,
  clinic: string | null,
  treatment: string | null,
  notesEnc: string | null,
  createdAt: string,
  followUpDate: string | null,
];

/**
 * ISO 8601 with all six fractional digits and an explicit `+00:00`, the seed's own format
 * (`2025-07-08T16:57:06.836704+00:00`). Formatted by the database because a JavaScript Date
 * would drop the microseconds.
 */
const ISO_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'`;
const isoMicros = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', ${ISO_MICROS})`);

const CASE_DOC = sql`json_build_array(c.id::text, p.contact_enc, c.status, c.clinic, c.treatment, c.notes_enc,
    ${isoMicros('c.created_at')}, ${isoMicros('c.follow_up_date')})::text as doc`;

/** The lookup's view of a {@link CaseDoc}: two values opened, the patient's card and the case's notes. */
function caseFromDoc(doc: CaseDoc, cipher: FieldCipher): { caseId: string; patient: LookupPatient; case: LookupCase } {
  const notes = openCaseNotes(doc[5], cipher);
  return {
    caseId: doc[0],
    patient: openPatient(doc[1], cipher),
    case: { status: doc[2], clinic: doc[3], treatment: doc[4], disposition: notes.disposition, outcome: notes.outcome, created_at: doc[6], follow_up_date: doc[7] },
  };
}

/**
 * The lookup query: a patient whose blind index matches on any of the three phone columns
 * (the planner turns the OR into a BitmapOr of the three index scans), then that patient's
 * cases through (patient_id, created_at). Its cost depends on the matches, not on the size of
 * the tables.
 */
function lookupQueryOf(token: SQL): SQL {
  return sql`select ${CASE_DOC}
    from patients p join cases c on c.patient_id = p.id
    where p.phone_bidx = ${token} or p.home_phone_bidx = ${token} or p.cell_phone_bidx = ${token}
    order by c.created_at desc, c.id desc
    limit 1`;
}

/** The lookup query for the blind-index token of one E.164 number (see {@link lookupQueryOf}). */
export function lookupQuery(phoneToken: string): SQL {
  return lookupQueryOf(sql`${phoneToken}`);
}

/** Name of the lookup's prepared statement on PGlite. */
const PREPARED = 'careos_lookup_case';

/**
 * On PGlite, planning the lookup costs three times as much as running it, and the database
 * thread runs one statement at a time for every request: so it is prepared once per database (PGlite has one session) and each
 * lookup is an `execute`. Sent through drizzle rather than the inlining fast path, which would
 * read the statement's `$1` as one of its own parameters.
 */
const preparedOn = new WeakMap<Database, Promise<boolean>>();

function prepareLookup(db: Database, logger: ServiceContext['logger']): Promise<boolean> {
  let ready = preparedOn.get(db);
  if (!ready) {
    const text = new PgDialect().sqlToQuery(lookupQueryOf(sql.raw('$1'))).sql;
    ready = db.rows(sql.raw(`prepare ${PREPARED}(text) as ${text}`), db.orm).then(
      () => true,
      (error: unknown) => {
        // Still correct without it, only slower.
        logger.warn({ err_message: (error as Error).message }, 'could not prepare the lookup statement; planning each lookup');
        return false;
      },
    );
    preparedOn.set(db, ready);
  }
  return ready;
}

/** Patients, cases and the screen-pop lookup over them (clinicacrm-ccaas-lookup.md). */
export class CaseService {
  readonly #country: CountryCode;
  readonly #inputs: RecentPhoneInputs;
  /** The screen-pop URL template split at each `{case_id}`. */
  readonly #urlParts: string[];
  /** Whether lookups run the prepared statement (PGlite), once known. */
  #prepared: boolean | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly answers: LookupAnswerCache,
  ) {
    this.#country = ctx.config.lookup.defaultCountry as CountryCode;
    // With the answer cache off (CAREOS_LOOKUP_CACHE_MAX=0) every lookup pays its whole cost.
    this.#inputs = new RecentPhoneInputs(this.#country, ctx.config.lookup.cacheMax > 0 ? ctx.config.lookup.cacheTtlMs : 0);
    // Split once: each answer's URL is then a join, not a search and replace.
    this.#urlParts = ctx.config.lookup.screenPopUrlTemplate.split('{case_id}');
  }

  /** The CRM link of a case. */
  screenPopUrl(caseId: string): string {
    return this.#urlParts.join(encodeURIComponent(caseId));
  }

  /**
   * The most recent case of the patient with this phone in any of their three phone fields.
   * `phone` is echoed as received; it is never logged. Recent numbers are answered from
   * memory, exactly as the database would (see answer-cache.ts).
   *
   * @throws {@link DomainError} `Invalid phone number` when `phone` is no phone number.
   */
  async lookup(phone: string): Promise<LookupOutcome> {
    const e164 = this.#inputs.e164(phone);
    if (e164 === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidPhone, {
        message: `Send the number in E.164 (+390622224444), international (+39 06 2222 4444) or national format (default country ${this.#country})`,
      });
    }
    // Read before the query: an answer read while patients or cases change is not kept.
    const generation = this.answers.generation;
    let answer = this.answers.get(e164);
    if (answer === undefined) {
      answer = await this.#read(e164);
      this.answers.set(e164, answer, generation);
    }
    if (answer.caseId === null) return { body: { found: false, message: lookupNotFoundMessage(phone), phone }, caseId: null };
    return {
      caseId: answer.caseId,
      body: { found: true, case_id: answer.caseId, patient: answer.patient, case: answer.case, screen_pop_url: answer.screenPopUrl, phone_searched: phone },
    };
  }

  /** A number's answer from the database: its most recent case, opened, or none. */
  async #read(e164: string): Promise<CachedAnswer> {
    const db = this.ctx.db;
    const token = this.ctx.phi.blind.phone(e164);
    const prepared = (this.#prepared ??= db.kind === 'pglite' ? await prepareLookup(db, this.ctx.logger) : false);
    const [row] = await db.rows<{ doc: string }>(prepared ? sql`execute ${sql.raw(PREPARED)}(${token})` : lookupQuery(token));
    if (!row) return { caseId: null };
    const found = caseFromDoc(JSON.parse(row.doc) as CaseDoc, this.ctx.phi.cipher);
    // Shared by every answer served from the cache until the next change: never mutated.
    return { caseId: found.caseId, patient: Object.freeze(found.patient), case: Object.freeze(found.case), screenPopUrl: this.screenPopUrl(found.caseId) };
  }

  /**
   * Creates a case for an existing patient or a new one (sandbox). A new patient is linked
   * to the CareOS user a lead created with one of their phones, when there is one.
   */
  async create(input: CreateLookupCaseRequest): Promise<CaseRecord> {
    const now = this.ctx.clock.now().toISOString();
    // Invalidated even when the transaction fails: a commit may have happened before the error.
    const caseId = await this.ctx.db.transaction(async (run) => {
      let patientId: string;
      if (input.patient_id !== undefined) {
        const found = /^\d{1,18}$/.test(input.patient_id) ? await run<{ id: string }>(sql`select id::text as id from patients where id = ${input.patient_id}::bigint`) : [];
        if (!found[0]) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No patient ${input.patient_id}` });
        patientId = found[0].id;
      } else {
        const p = input.patient!;
        const sealed = sealPatient(
          { name: p.name, phone: p.phone ?? null, homePhone: p.home_phone ?? null, cellPhone: p.cell_phone ?? null, email: p.email ?? null },
          { phone: this.#e164(p.phone, 'patient.phone'), homePhone: this.#e164(p.home_phone, 'patient.home_phone'), cellPhone: this.#e164(p.cell_phone, 'patient.cell_phone') },
          this.ctx.phi,
        );
        const [row] = await run<{ id: string }>(sql`
          insert into patients (contact_enc, phone_bidx, home_phone_bidx, cell_phone_bidx, user_id, created_at)
          values (${sealed.contactEnc}, ${sealed.phoneBidx}, ${sealed.homePhoneBidx}, ${sealed.cellPhoneBidx}, ${userOfPhones(sealed)}, ${now}::timestamptz)
          returning id::text as id`);
        patientId = row!.id;
      }
      const [row] = await run<{ id: string }>(sql`
        insert into cases (patient_id, status, clinic, treatment, notes_enc, created_at, follow_up_date)
        values (${patientId}::bigint, ${input.status}, ${input.clinic ?? null}, ${input.treatment ?? null},
                ${sealCaseNotes({ disposition: input.disposition ?? null, outcome: input.outcome ?? null }, this.ctx.phi.cipher)},
                ${input.created_at ?? now}::timestamptz, ${input.follow_up_date ?? null}::timestamptz)
        returning id::text as id`);
      await this.answers.announce(run);
      return row!.id;
    }).finally(() => this.answers.invalidate());
    return (await this.get(caseId))!;
  }

  /** One case as the sandbox shows it, or `null`. */
  async get(caseId: string): Promise<CaseRecord | null> {
    if (!/^\d{1,18}$/.test(caseId)) return null;
    const [row] = await this.ctx.db.rows<{ doc: string; patient_id: string; user_id: string | null }>(
      sql`select ${CASE_DOC}, p.id::text as patient_id, p.user_id from patients p join cases c on c.patient_id = p.id where c.id = ${caseId}::bigint`,
    );
    if (!row) return null;
    const found = caseFromDoc(JSON.parse(row.doc) as CaseDoc, this.ctx.phi.cipher);
    return { case_id: found.caseId, patient_id: row.patient_id, careos_user_id: row.user_id, patient: found.patient, case: found.case, screen_pop_url: this.screenPopUrl(found.caseId) };
  }

  /** A patient's phone as E.164 for storage; `null` when not given. */
  #e164(value: string | null | undefined, path: string): string | null {
    if (value === null || value === undefined) return null;
    const e164 = tryNormalizePhone(value, { defaultCountry: this.#country });
    if (e164 === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidPhone, { message: `${path} is not a phone number`, details: [{ path, message: 'Not a phone number' }] });
    }
    return e164;
  }
}
