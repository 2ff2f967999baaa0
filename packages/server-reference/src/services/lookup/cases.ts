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
import type { Database } from '../../db/database.js';
import { DomainError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import { lookupE164, type CountryCode } from './phone-input.js';

/** The sandbox's view of a case: the lookup's shape plus the patient's ids. */
export type CaseRecord = z.infer<typeof LookupCaseRecord>;

/** A lookup's answer, and the case it found for the audit row (never the phone). */
export interface LookupOutcome {
  body: LookupFound | LookupNotFound;
  caseId: string | null;
}

/** The case as the lookup shows it, built by the database as one JSON text (see {@link CASE_DOC}). */
interface CaseDoc {
  case_id: string;
  patient: LookupPatient;
  case: LookupCase;
}

/**
 * ISO 8601 with all six fractional digits and an explicit `+00:00`, the seed's own format
 * (`2025-07-08T16:57:06.836704+00:00`). Formatted by the database because a JavaScript Date
 * would drop the microseconds.
 */
const ISO_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'`;
const isoMicros = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', ${ISO_MICROS})`);

/**
 * A case of `patients p join cases c` as one JSON text in the seed's shape. One text column
 * instead of fifteen: on PGlite, decoding each column of a result row costs more than having
 * the database build the object.
 */
const CASE_DOC = sql`json_build_object(
    'case_id', c.id::text,
    'patient', json_build_object('name', p.name, 'phone', p.phone, 'home_phone', p.home_phone, 'cell_phone', p.cell_phone, 'email', p.email),
    'case', json_build_object('status', c.status, 'clinic', c.clinic, 'treatment', c.treatment, 'disposition', c.disposition, 'outcome', c.outcome,
                              'created_at', ${isoMicros('c.created_at')}, 'follow_up_date', ${isoMicros('c.follow_up_date')})
  )::text as doc`;

/**
 * The lookup query: a patient matching on any of the three E.164 columns (the planner turns
 * the OR into a BitmapOr of the three index scans), then that patient's cases through
 * (patient_id, created_at). Its cost depends on the matches, not on the size of the tables.
 */
function lookupQueryOf(phone: SQL): SQL {
  return sql`select ${CASE_DOC}
    from patients p join cases c on c.patient_id = p.id
    where p.phone_e164 = ${phone} or p.home_phone_e164 = ${phone} or p.cell_phone_e164 = ${phone}
    order by c.created_at desc, c.id desc
    limit 1`;
}

/** The lookup query for one E.164 number (see {@link lookupQueryOf}). */
export function lookupQuery(e164: string): SQL {
  return lookupQueryOf(sql`${e164}`);
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
  /** The screen-pop URL template split at each `{case_id}`. */
  readonly #urlParts: string[];
  /** Whether lookups run the prepared statement (PGlite), once known. */
  #prepared: boolean | undefined;

  constructor(private readonly ctx: ServiceContext) {
    this.#country = ctx.config.lookup.defaultCountry as CountryCode;
    // Split once: each answer's URL is then a join, not a search and replace.
    this.#urlParts = ctx.config.lookup.screenPopUrlTemplate.split('{case_id}');
  }

  /** The CRM link of a case. */
  screenPopUrl(caseId: string): string {
    return this.#urlParts.join(encodeURIComponent(caseId));
  }

  /**
   * The most recent case of the patient with this phone in any of their three phone fields.
   * `phone` is echoed as received; it is never logged.
   *
   * @throws {@link DomainError} `Invalid phone number` when `phone` is no phone number.
   */
  async lookup(phone: string): Promise<LookupOutcome> {
    const e164 = lookupE164(phone, this.#country);
    if (e164 === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidPhone, {
        message: `Send the number in E.164 (+390622224444), international (+39 06 2222 4444) or national format (default country ${this.#country})`,
      });
    }
    const db = this.ctx.db;
    const prepared = (this.#prepared ??= db.kind === 'pglite' ? await prepareLookup(db, this.ctx.logger) : false);
    const [row] = await db.rows<{ doc: string }>(prepared ? sql`execute ${sql.raw(PREPARED)}(${e164})` : lookupQuery(e164));
    if (!row) return { body: { found: false, message: lookupNotFoundMessage(phone), phone }, caseId: null };
    const doc = JSON.parse(row.doc) as CaseDoc;
    return {
      caseId: doc.case_id,
      body: { found: true, case_id: doc.case_id, patient: doc.patient, case: doc.case, screen_pop_url: this.screenPopUrl(doc.case_id), phone_searched: phone },
    };
  }

  /**
   * Creates a case for an existing patient or a new one (sandbox). A new patient is linked
   * to the CareOS user a lead created with one of their phones, when there is one.
   */
  async create(input: CreateLookupCaseRequest): Promise<CaseRecord> {
    const now = this.ctx.clock.now().toISOString();
    const caseId = await this.ctx.db.transaction(async (run) => {
      let patientId: string;
      if (input.patient_id !== undefined) {
        const found = /^\d{1,18}$/.test(input.patient_id) ? await run<{ id: string }>(sql`select id::text as id from patients where id = ${input.patient_id}::bigint`) : [];
        if (!found[0]) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No patient ${input.patient_id}` });
        patientId = found[0].id;
      } else {
        const p = input.patient!;
        const phones = { phone: this.#e164(p.phone, 'patient.phone'), home_phone: this.#e164(p.home_phone, 'patient.home_phone'), cell_phone: this.#e164(p.cell_phone, 'patient.cell_phone') };
        const known = [phones.phone, phones.home_phone, phones.cell_phone].filter((v): v is string => v !== null);
        const [row] = await run<{ id: string }>(sql`
          insert into patients (name, phone, home_phone, cell_phone, phone_e164, home_phone_e164, cell_phone_e164, email, user_id, created_at)
          values (${p.name}, ${p.phone ?? null}, ${p.home_phone ?? null}, ${p.cell_phone ?? null}, ${phones.phone}, ${phones.home_phone}, ${phones.cell_phone},
                  ${p.email ?? null}, (select id from users where phone_e164 in (${sql.join(known.map((k) => sql`${k}`), sql`, `)}) order by created_at limit 1), ${now}::timestamptz)
          returning id::text as id`);
        patientId = row!.id;
      }
      const [row] = await run<{ id: string }>(sql`
        insert into cases (patient_id, status, clinic, treatment, disposition, outcome, created_at, follow_up_date)
        values (${patientId}::bigint, ${input.status}, ${input.clinic ?? null}, ${input.treatment ?? null}, ${input.disposition ?? null}, ${input.outcome ?? null},
                ${input.created_at ?? now}::timestamptz, ${input.follow_up_date ?? null}::timestamptz)
        returning id::text as id`);
      return row!.id;
    });
    return (await this.get(caseId))!;
  }

  /** One case as the sandbox shows it, or `null`. */
  async get(caseId: string): Promise<CaseRecord | null> {
    if (!/^\d{1,18}$/.test(caseId)) return null;
    const [row] = await this.ctx.db.rows<{ doc: string; patient_id: string; user_id: string | null }>(
      sql`select ${CASE_DOC}, p.id::text as patient_id, p.user_id from patients p join cases c on c.patient_id = p.id where c.id = ${caseId}::bigint`,
    );
    if (!row) return null;
    const doc = JSON.parse(row.doc) as CaseDoc;
    return { case_id: doc.case_id, patient_id: row.patient_id, careos_user_id: row.user_id, patient: doc.patient, case: doc.case, screen_pop_url: this.screenPopUrl(doc.case_id) };
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
