/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are secret or PHI wherever they appear: API keys, tokens, passwords,
 * salts, phones and ciphertexts, cookies and signatures.
 */
const SENSITIVE_KEY =
  /(api[-_]?key|secret|token|password|passwd|authori[sz]ation|cookie|salt|phone|encrypted|cipher|signature|private[-_]?key|credential)/i;

/** Value shapes that are secret whatever key they sit under. */
const SENSITIVE_VALUES: readonly RegExp[] = [
  // PEM blocks (private keys above all)
  /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g,
  // JWTs
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // Bearer credentials
  /\bBearer\s+[^\s,;"']+/gi,
  // partner API keys: <platform>_<live|test>_<random>
  /\b[a-z][a-z0-9]{1,31}_(?:live|test)_[A-Za-z0-9_-]{6,}/g,
  // webhook secrets
  /\bwhsec_[A-Za-z0-9+/=_-]+/g,
  // long base64 runs: RSA ciphertexts, hashes, raw keys
  /[A-Za-z0-9+/_-]{64,}={0,2}/g,
];

/** Candidate phone numbers: 7+ digits with the usual separators, optional leading `+`. */
const PHONE_LIKE = /(?<![\w.:/-])\+?\(?\d[\d\s().-]{5,}\d(?![\w:/])/g;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => {
    if (DATE_LIKE.test(match) || IPV4_LIKE.test(match)) return match;
    const digits = match.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15 ? REDACTED : match;
  });
}

/**
 * The value of a query parameter named like a phone (`?phone=%2B39…`): URL-encoded, its digits
 * follow a letter (`%2B39`) and escape the phone pattern below, so the parameter is cut by name.
 */
const PHONE_QUERY_VALUE = /([?&][^=&#\s]*phone[^=&#\s]*=)[^&#\s]+/gi;

/** Removes secrets and phone numbers from free text. */
export function redactString(text: string): string {
  let out = text;
  for (const pattern of SENSITIVE_VALUES) out = out.replace(pattern, REDACTED);
  return redactPhones(out.replace(PHONE_QUERY_VALUE, `$1${REDACTED}`));
}

/**
 * Returns a copy of `value` that is safe to log: values under sensitive keys are replaced,
 * and every string is scrubbed of secret- and phone-shaped content. Errors become plain
 * objects with name, message, code and status. Cycles and depth are bounded.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 8) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const { code, status } = value as Error & { code?: unknown; status?: unknown };
    return redact({ name: value.name, message: value.message, code, status }, depth + 1, seen);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) && item !== undefined && item !== null ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}
