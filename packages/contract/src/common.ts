import { z } from 'zod';
import { PAGE_SIZE } from './constants.js';

/** ISO 8601 timestamp with `Z` or an offset, e.g. `2025-01-08T12:00:00Z`. */
export const Timestamp = z.iso.datetime({ offset: true }).meta({ id: 'Timestamp', description: 'ISO 8601 timestamp (UTC in responses)' });

/** A phone number in E.164 form, e.g. `+14155550100`. */
export const E164Phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'Must be an E.164 phone number such as +14155550100')
  .meta({ id: 'E164Phone', description: 'Phone number in E.164 form' });

/** Money as a decimal number of US dollars with at most two decimals (seed convention). */
export const UsdAmount = z
  .number()
  .finite()
  .nonnegative()
  .max(1_000_000)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'At most two decimal places')
  .meta({ id: 'UsdAmount', description: 'Decimal number of US dollars' });

/** An opaque id with a type prefix, e.g. `lead_01jd...`. */
export function prefixedId(prefix: string) {
  return z.string().startsWith(`${prefix}_`).describe(`Opaque id starting with \`${prefix}_\``);
}

/** Path parameter holding an id: any non-empty string up to 128 chars (unknown ids are 404, not 400). */
export const IdParam = z.string().min(1).max(128);

/** Why a `limit` was refused: one message for every way it can be wrong (not a number, a fraction, out of range). */
const LIMIT_MESSAGE = `Must be an integer from 1 to ${PAGE_SIZE.max}`;

/** `limit` + `cursor` accepted by every list endpoint. */
export const ListQuery = z.object({
  limit: z.coerce
    .number<number>({ error: LIMIT_MESSAGE })
    .int(LIMIT_MESSAGE)
    .min(1, LIMIT_MESSAGE)
    .max(PAGE_SIZE.max, LIMIT_MESSAGE)
    .default(PAGE_SIZE.default)
    .describe(`Page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`),
  cursor: z.string().min(1).max(512).optional().describe('`next_cursor` from the previous page'),
});

/** The `next_cursor` field added to every list response; `null` on the last page. */
export const NextCursor = z.string().nullable().describe('Pass as `cursor` to get the next page; null when there is none');

/** A query-string boolean: `true`/`false` (also `1`/`0`); anything else is a 400. */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .describe('true or false');
