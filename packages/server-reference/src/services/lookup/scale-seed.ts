import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';

/** What a `--seed lookup-scale=<N>` run (`app.seedLookupScale(n)`) created. */
export interface ScaleSeedResult {
  patients: number;
  cases: number;
  /** Ids of the first and last patient created (their phones follow {@link scalePatientPhones}). */
  firstPatientId: number;
  lastPatientId: number;
  ms: number;
}

/** Rows per statement: big enough to amortise each statement, small enough for PGlite's memory. */
const CHUNK = 100_000;
/** Cases per patient on average: a quarter of the patients have two cases. */
const CASES_PER_PATIENT = 1.25;

const FIRST_NAMES = ['Alessandro', 'Chiara', 'Davide', 'Elena', 'Federico', 'Giorgia', 'Lorenzo', 'Martina', 'Matteo', 'Sara', 'Simone', 'Valentina', 'Andrea', 'Paola', 'Riccardo', 'Silvia', 'Stefano', 'Roberta', 'Tommaso', 'Anna'];
const LAST_NAMES = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti'];
const CLINICS = ['Centro Oculistico Roma', 'Clinica Dentale Milano', 'Centro Fisioterapia Torino', 'Centro Medico Napoli', 'Poliambulatorio Bologna', 'Clinica Estetica Firenze'];
const TREATMENTS = ['SMILE Surgery', 'LASIK', 'Cataract Surgery', 'Dental Implant', 'Clear Aligners', 'Knee Rehabilitation', 'Postural Therapy', 'Glaucoma Screening', 'Eye Exam', 'Teeth Whitening'];
const STATUSES = ['NUOVO', 'CONTATTATO', 'APPUNTAMENTO', 'IN_TRATTAMENTO', 'CHIUSO', 'PERSO'];
const DISPOSITIONS = ['Web form', 'Called back', 'First visit booked', 'Evaluation completed', 'Quote sent', 'No answer, retry'];
const OUTCOMES = ['Professional athlete', 'Office worker', 'Prefers mornings', 'Referred by a friend', 'Price sensitive', 'Wants financing'];

const textArray = (values: readonly string[]) => sql.raw(`array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')}]`);
/** `values[1 + (n % values.length)]` in SQL. */
const pick = (values: readonly string[], n: string) => sql`(${textArray(values)})[(1 + (${sql.raw(n)}) % ${values.length})::int]`;

/**
 * The phones of generated patient `id`, the same formula as the SQL below, so benchmarks can
 * call numbers that exist: a Milan landline `+39 02 1xxx xxxx` and a mobile
 * `+39 3nn nnn nnnn`, both unique per id. The landline is the primary phone of even ids and
 * the home phone of ids divisible by 3; every id but multiples of 5 has the mobile.
 */
export function scalePatientPhones(id: number): { landline: string; mobile: string | null; primary: string } {
  const land = String(10_000_000 + id);
  const digits = String(id % 10_000_000).padStart(7, '0');
  const landline = `+39 02 ${land.slice(0, 4)} ${land.slice(4)}`;
  const mobile = id % 5 === 0 ? null : `+39 3${20 + (id % 60)} ${digits.slice(0, 3)} ${digits.slice(3)}`;
  return { landline, mobile, primary: id % 2 === 0 || mobile === null ? landline : mobile };
}

/**
 * Generates `count` realistic cases (Italian patients, clinics and treatments, two years of
 * history with microsecond timestamps) for benchmarks, in a few set-based statements: ids are
 * reserved from the identity sequences, then `insert … select … from generate_series`. The
 * planner statistics are refreshed at the end, so lookups use the indexes at once.
 */
export async function seedLookupScale(db: Database, count: number): Promise<ScaleSeedResult> {
  const started = performance.now();
  const patientCount = Math.max(1, Math.ceil(count / CASES_PER_PATIENT));
  let firstPatientId = 0;
  // Patients first, in chunks; their ids are reserved up front so cases can refer to them by arithmetic.
  await db.transaction(async (run) => {
    await run(sql`lock table patients in share row exclusive mode`);
    const [row] = await run<{ base: string }>(sql`select nextval(pg_get_serial_sequence('patients', 'id'))::text as base`);
    firstPatientId = Number(row!.base);
    await run(sql`select setval(pg_get_serial_sequence('patients', 'id'), ${firstPatientId + patientCount - 1})`);
  });
  for (let offset = 0; offset < patientCount; offset += CHUNK) {
    const size = Math.min(CHUNK, patientCount - offset);
    const from = firstPatientId + offset;
    await db.rows(sql`
      insert into patients (id, name, phone, home_phone, cell_phone, phone_e164, home_phone_e164, cell_phone_e164, email, created_at)
      select id, first || ' ' || last,
             case when id % 2 = 0 or id % 5 = 0 then land else mobile end,
             case when id % 3 = 0 then land end,
             case when id % 5 <> 0 then mobile end,
             case when id % 2 = 0 or id % 5 = 0 then land_e164 else mobile_e164 end,
             case when id % 3 = 0 then land_e164 end,
             case when id % 5 <> 0 then mobile_e164 end,
             lower(replace(first || '.' || last, ' ', '')) || id || '@example.com',
             now() - make_interval(days => 730)
        from (
          select id, first, last,
                 '+39 02 ' || substr(l, 1, 4) || ' ' || substr(l, 5) as land, '+3902' || l as land_e164,
                 '+39 3' || (20 + id % 60) || ' ' || substr(d, 1, 3) || ' ' || substr(d, 4) as mobile, '+393' || (20 + id % 60) || d as mobile_e164
            from (
              select g as id, (10000000 + g)::text as l, lpad((g % 10000000)::text, 7, '0') as d,
                     ${pick(FIRST_NAMES, 'g')} as first, ${pick(LAST_NAMES, 'g / 20')} as last
                from generate_series(${from}::bigint, ${from + size - 1}::bigint) as g
            ) as raw
        ) as p`);
  }
  // Cases: case n belongs to patient first + (n mod patients), so the first quarter of the patients get two.
  for (let offset = 0; offset < count; offset += CHUNK) {
    const size = Math.min(CHUNK, count - offset);
    await db.rows(sql`
      insert into cases (patient_id, status, clinic, treatment, disposition, outcome, created_at, follow_up_date)
      select ${firstPatientId}::bigint + n % ${patientCount}, ${pick(STATUSES, 'n')}, ${pick(CLINICS, 'n / 7')}, ${pick(TREATMENTS, 'n / 3')},
             ${pick(DISPOSITIONS, 'n / 11')}, ${pick(OUTCOMES, 'n / 13')}, created, case when n % 4 <> 0 then created + make_interval(days => 3 + (n % 11)::int) end
        from (
          select n, now() - make_interval(secs => ((n * 7919) % 63072000) + ((n * 104729) % 1000000) / 1e6) as created
            from generate_series(${offset}::bigint, ${offset + size - 1}::bigint) as n
        ) as c`);
  }
  await db.rows(sql`analyze patients`);
  await db.rows(sql`analyze cases`);
  return { patients: patientCount, cases: count, firstPatientId, lastPatientId: firstPatientId + patientCount - 1, ms: Math.round(performance.now() - started) };
}
