/** The standard schedule (DESIGN §4.7): now, then 5 min, 30 min, 2 h and 12 h after each failure. */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [0, 300, 1800, 7200, 43200] as const;

/**
 * Longest total a schedule may add up to: with +20 % jitter on every delay the last attempt
 * still falls within the 24 hours the API promises.
 */
const MAX_SCHEDULE_TOTAL_SECONDS = 20 * 3600;

/** `CAREOS_WEBHOOK_RETRY_SCHEDULE` → delays in ms; problems are appended to `problems`. */
export function readRetrySchedule(raw: string | undefined, problems: string[]): number[] {
  if (raw === undefined) return DEFAULT_RETRY_SCHEDULE_SECONDS.map((s) => s * 1000);
  const parts = raw.split(',').map((p) => p.trim());
  const seconds = parts.map(Number);
  if (parts.length > 10 || parts.some((p) => p === '') || seconds.some((s) => !Number.isFinite(s) || s < 0)) {
    problems.push('CAREOS_WEBHOOK_RETRY_SCHEDULE must be 1 to 10 comma-separated delays in seconds, such as 0,300,1800,7200,43200');
    return [];
  }
  if (seconds.reduce((sum, s) => sum + s, 0) > MAX_SCHEDULE_TOTAL_SECONDS) {
    problems.push('CAREOS_WEBHOOK_RETRY_SCHEDULE must add up to at most 72000 seconds (20 h), so that every attempt, jitter included, falls within 24 h');
    return [];
  }
  return seconds.map((s) => Math.round(s * 1000));
}

/** `CAREOS_DATA_KEY` (base64 of 32 bytes) → the key, `null` when unset. */
export function readDataKey(raw: string | undefined, problems: string[]): Buffer | null {
  if (raw === undefined) return null;
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    problems.push('CAREOS_DATA_KEY must be 32 random bytes in base64 (for example: openssl rand -base64 32)');
    return null;
  }
  return key;
}

/**
 * Which non-public webhook receivers are allowed (`CAREOS_WEBHOOK_ALLOW_PRIVATE`): `none`, only
 * `loopback` (127.0.0.0/8, ::1, localhost), or `private` (loopback plus RFC 1918, CGNAT and ULA
 * networks). Cloud metadata, link-local, multicast and reserved addresses are refused whatever
 * this says.
 */
export type WebhookPrivateAccess = 'none' | 'loopback' | 'private';

/**
 * `CAREOS_WEBHOOK_ALLOW_PRIVATE` → the access allowed. Production defaults to `none`;
 * development to `private`, so the local sandbox and `careos webhooks listen` (receivers on
 * 127.0.0.1, or in a container network) work without setting anything.
 */
export function readWebhookPrivateAccess(raw: string | undefined, mode: 'production' | 'development', problems: string[]): WebhookPrivateAccess {
  if (raw === undefined) return mode === 'production' ? 'none' : 'private';
  const value = raw.toLowerCase();
  if (value === 'none' || value === 'loopback' || value === 'private') return value;
  problems.push('CAREOS_WEBHOOK_ALLOW_PRIVATE must be none, loopback or private');
  return 'none';
}
