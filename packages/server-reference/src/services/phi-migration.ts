import { sql } from 'drizzle-orm';
import type { BlindIndexKind } from '../crypto/blind-index.js';
import type { Database } from '../db/database.js';
import type { ServiceContext } from './context.js';
import type { FieldCrypto } from './field-crypto.js';
import { SettingKey, type SettingsService } from './settings.js';

/** How one table's plaintext PHI columns (from before field encryption) become encrypted ones. */
interface TableConversion {
  table: string;
  /** Primary-key columns (default `id`). */
  key?: readonly string[];
  /** Type of the key columns. */
  idType: 'text' | 'bigint';
  /** Plaintext column → encrypted column (JSON columns are sealed as their JSON text). */
  fields: readonly { from: string; to: string }[];
  /**
   * Plaintext columns → one encrypted JSON object (`[key, column]` in the object's key order,
   * `json` for a jsonb column, whose value goes in as JSON); `null` when every column is null.
   */
  records?: readonly { to: string; from: readonly (readonly [key: string, column: string, kind?: 'json'])[] }[];
  /** Plaintext column (already normalised: E.164, lower-cased email) → blind-index column. */
  indexes?: readonly { from: string; to: string; kind: BlindIndexKind }[];
}

/** Every column that held PHI in plaintext, and where it goes. */
export const PHI_CONVERSIONS: readonly TableConversion[] = [
  {
    table: 'users',
    idType: 'text',
    fields: [],
    records: [
      {
        to: 'profile_enc',
        from: [
          ['phone', 'phone_e164'],
          ['name', 'name'],
        ],
      },
    ],
    indexes: [{ from: 'phone_e164', to: 'phone_bidx', kind: 'phone' }],
  },
  {
    table: 'leads',
    idType: 'text',
    fields: [],
    records: [
      {
        to: 'content_enc',
        from: [
          ['user_name', 'user_name'],
          ['original_message', 'original_message'],
          ['ai_extracted_details', 'details', 'json'],
        ],
      },
    ],
  },
  {
    table: 'messages',
    idType: 'text',
    fields: [],
    records: [
      {
        to: 'content_enc',
        from: [
          ['to', 'to_e164'],
          ['body', 'body'],
        ],
      },
    ],
  },
  {
    table: 'patients',
    idType: 'bigint',
    fields: [],
    records: [
      {
        to: 'contact_enc',
        from: [
          ['name', 'name'],
          ['phone', 'phone'],
          ['home_phone', 'home_phone'],
          ['cell_phone', 'cell_phone'],
          ['email', 'email'],
        ],
      },
    ],
    indexes: [
      { from: 'phone_e164', to: 'phone_bidx', kind: 'phone' },
      { from: 'home_phone_e164', to: 'home_phone_bidx', kind: 'phone' },
      { from: 'cell_phone_e164', to: 'cell_phone_bidx', kind: 'phone' },
    ],
  },
  {
    table: 'cases',
    idType: 'bigint',
    fields: [],
    records: [
      {
        to: 'notes_enc',
        from: [
          ['disposition', 'disposition'],
          ['outcome', 'outcome'],
        ],
      },
    ],
  },
  {
    table: 'staff_users',
    idType: 'text',
    fields: [
      { from: 'email', to: 'email_enc' },
      { from: 'name', to: 'name_enc' },
    ],
    indexes: [{ from: 'email', to: 'email_bidx', kind: 'email' }],
  },
  ...['clients', 'therapists'].map((table) => ({
    table,
    idType: 'text' as const,
    fields: [
      { from: 'first_name', to: 'first_name_enc' },
      { from: 'last_name', to: 'last_name_enc' },
      { from: 'email', to: 'email_enc' },
    ],
  })),
  { table: 'journal_entries', idType: 'text', fields: [{ from: 'text', to: 'text_enc' }] },
  {
    table: 'client_tasks',
    idType: 'text',
    fields: [
      { from: 'description', to: 'description_enc' },
      { from: 'notes', to: 'notes_enc' },
    ],
  },
  { table: 'therapist_alerts', idType: 'text', fields: [{ from: 'message', to: 'message_enc' }] },
  { table: 'assessments', idType: 'text', fields: [{ from: 'responses', to: 'responses_enc' }] },
  { table: 'session_prep_reports', idType: 'text', fields: [{ from: 'report', to: 'report_enc' }] },
  // Alert events quote the alert's text; stored responses can name a created patient or client.
  { table: 'webhook_deliveries', idType: 'text', fields: [{ from: 'body', to: 'body_enc' }] },
  { table: 'idempotency_keys', key: ['scope', 'key'], idType: 'text', fields: [{ from: 'response_body', to: 'response_body_enc' }] },
];

/** Rows converted per transaction. */
const BATCH = 500;

const ident = (name: string) => sql.raw(`"${name}"`);

/**
 * Converts the plaintext PHI left by versions before field encryption (SQL cannot: the keys are
 * not in the database): each batch of rows is locked (`for update skip locked`, so instances
 * starting together share the work instead of doing it twice), sealed and indexed in JS, and
 * written back with its plaintext columns emptied. Tables that had rows converted are then
 * rewritten (`vacuum full`), so the old row versions do not linger in the table files. Runs
 * once per database: a setting records that nothing is left.
 *
 * @returns rows converted per table (only tables with some).
 */
export async function convertPlaintextPhi(ctx: ServiceContext, settings: SettingsService): Promise<Record<string, number>> {
  if ((await settings.get(SettingKey.phiConverted)) !== null) return {};
  const converted: Record<string, number> = {};
  for (const spec of PHI_CONVERSIONS) {
    let total = 0;
    for (;;) {
      const count = await convertBatch(ctx.db, ctx.phi, spec);
      total += count;
      if (count < BATCH) break;
    }
    if (total > 0) {
      converted[spec.table] = total;
      await ctx.db.rows(sql`vacuum full ${ident(spec.table)}`);
    }
  }
  if (Object.keys(converted).length) {
    if (ctx.db.kind === 'pglite') await ctx.db.rows(sql`checkpoint`);
    ctx.logger.info({ converted }, 'encrypted the plaintext PHI left by an earlier version');
  }
  await settings.set(SettingKey.phiConverted, ctx.clock.now().toISOString());
  return converted;
}

/** The plaintext columns a table's conversion reads (and empties). */
export function sourceColumns(spec: TableConversion): string[] {
  return [...new Set([...spec.fields.map((f) => f.from), ...(spec.records ?? []).flatMap((r) => r.from.map(([, column]) => column)), ...(spec.indexes ?? []).map((i) => i.from)])];
}

async function convertBatch(db: Database, crypto: FieldCrypto, spec: TableConversion): Promise<number> {
  const key = spec.key ?? ['id'];
  const sources = sourceColumns(spec);
  const targets = [...spec.fields.map((f) => f.to), ...(spec.records ?? []).map((r) => r.to), ...(spec.indexes ?? []).map((i) => i.to)];
  const anyLeft = sql.join(
    sources.map((c) => sql`${ident(c)} is not null`),
    sql` or `,
  );
  return db.transaction(async (run) => {
    const rows = await run<Record<string, string | null>>(sql`
      select ${sql.join(
        [...key.map((c) => sql`${ident(c)}::text as ${ident(`key_${c}`)}`), ...sources.map((c) => sql`${ident(c)}::text as ${ident(c)}`)],
        sql`, `,
      )}
        from ${ident(spec.table)} where ${anyLeft} order by ${sql.join(key.map(ident), sql`, `)} limit ${BATCH} for update skip locked`);
    if (rows.length === 0) return 0;
    const { cipher, blind } = crypto;
    const updates = rows.map((row) => {
      const update: Record<string, string | null> = Object.fromEntries(key.map((c) => [`key_${c}`, row[`key_${c}`]!]));
      for (const f of spec.fields) update[f.to] = cipher.sealOrNull(`${spec.table}.${f.to}`, row[f.from] ?? null);
      for (const r of spec.records ?? []) {
        const values = r.from.map(([key, column, kind]) => {
          const value = row[column] ?? null;
          return [key, kind === 'json' && value !== null ? (JSON.parse(value) as unknown) : value] as const;
        });
        update[r.to] = values.every(([, value]) => value === null) ? null : cipher.sealJson(`${spec.table}.${r.to}`, Object.fromEntries(values));
      }
      for (const i of spec.indexes ?? []) {
        const value = row[i.from] ?? null;
        // A malformed old value gets a token that matches nothing, rather than stopping the start.
        update[i.to] = value === null ? null : i.kind === 'phone' ? blind.token('phone', value) : blind.email(value);
      }
      return update;
    });
    await run(sql`
      update ${ident(spec.table)} as t
         set ${sql.join(
           [...targets.map((c) => sql`${ident(c)} = u.${ident(c)}`), ...sources.map((c) => sql`${ident(c)} = null`)],
           sql`, `,
         )}
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(${sql.join(
          [...key.map((c) => sql`${ident(`key_${c}`)} text`), ...targets.map((c) => sql`${ident(c)} text`)],
          sql`, `,
        )})
       where ${sql.join(
         key.map((c) => sql`t.${ident(c)} = u.${ident(`key_${c}`)}::${sql.raw(spec.idType)}`),
         sql` and `,
       )}`);
    return rows.length;
  });
}
