import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear (one level of nesting covered by `*.`), a net
 * under the rule that bodies, phones and secrets are never logged in the first place.
 */
export const REDACT_PATHS: string[] = (() => {
  const headers = ['x-api-key', 'authorization', 'cookie', 'set-cookie', 'idempotency-key'];
  const fields = [
    'phone',
    'phone_e164',
    'phoneE164',
    'to',
    'toE164',
    'password',
    'passwordHash',
    'token',
    'access_token',
    'secret',
    'api_key',
    'apiKey',
    'phone_hash_salt',
    'phoneHashSalt',
    'user_phone_encrypted',
    'user_phone_hash',
    'body',
  ];
  return [
    ...headers.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`]),
    ...fields.flatMap((f) => [f, `*.${f}`]),
  ];
})();

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
}

/** The server's pino logger with its redaction rules. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      name: 'careos',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    options.destination,
  );
}

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
