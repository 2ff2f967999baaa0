import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order
 * (or whitespace) produce the same text and therefore the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** Options of {@link fingerprint}. */
export interface FingerprintOptions {
  /** Top-level fields of an object `value` to leave out (a route's `fingerprintExcludes`). */
  exclude?: readonly string[];
  /** Text hashed in front of the JSON (e.g. method and path), so equal bodies sent to different routes differ. */
  context?: string;
}

/**
 * Hex SHA-256 of the canonical JSON of `value` without the excluded fields: the one test of
 * "same request" behind both `Idempotency-Key` and a lead's natural key, so the two agree.
 */
export function fingerprint(value: unknown, options: FingerprintOptions = {}): string {
  let kept = value;
  if (options.exclude?.length && kept !== null && typeof kept === 'object' && !Array.isArray(kept)) {
    const excluded = new Set(options.exclude);
    kept = Object.fromEntries(Object.entries(kept).filter(([key]) => !excluded.has(key)));
  }
  const hash = createHash('sha256');
  if (options.context !== undefined) hash.update(`${options.context}\n`);
  return hash.update(canonicalJson(kept)).digest('hex');
}
