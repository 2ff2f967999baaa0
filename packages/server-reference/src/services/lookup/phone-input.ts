import { tryNormalizePhone, type NormalizePhoneOptions } from '@careos/contract';
import { LRUCache } from 'lru-cache';

/** An ISO country code as libphonenumber takes it. */
export type CountryCode = NonNullable<NormalizePhoneOptions['defaultCountry']>;

const E164 = /^\+[1-9]\d{6,14}$/;
/** One space, then the rest of an international number: what an unencoded `+` in a query string decodes to. */
const PLUS_AS_SPACE = /^ [1-9]/;

/** Decodes leftover %-escapes (a value URL-encoded twice); gives the value back unchanged when it is not decodable. */
function decodeLeftovers(value: string): string {
  let current = value;
  // Twice at most: a value encoded three times is not something a phone system sends.
  for (let round = 0; round < 2 && /%[0-9A-Fa-f]{2}/.test(current); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return current;
    }
  }
  return current;
}

/**
 * The E.164 form of a phone a contact centre sent, or `null` when it is no phone number.
 *
 * Accepts every shape CCaaS platforms send: E.164 (`+390622224444`, the fast path: no parse at
 * all), spaced international (`+39 06 2222 4444`), `00` instead of `+`, a value URL-encoded
 * twice (`%2B39...` after the query parser's own decoding), a leading space where an
 * unencoded `+` in a query string became one (`?phone=+391234567890`), and national format
 * in `defaultCountry`.
 */
export function lookupE164(input: string, defaultCountry: CountryCode): string | null {
  if (E164.test(input)) return input;
  const decoded = input.includes('%') ? decodeLeftovers(input) : input;
  const plusLost = PLUS_AS_SPACE.test(decoded);
  const value = plusLost ? `+${decoded.slice(1)}` : decoded;
  if (E164.test(value)) return value;
  // When the "+" reading gives no possible number, the space was just a space: read it as written.
  return tryNormalizePhone(value, { defaultCountry }) ?? (plusLost ? tryNormalizePhone(decoded, { defaultCountry }) : null);
}

/** Most distinct inputs {@link RecentPhoneInputs} keeps. */
export const RECENT_INPUTS_MAX = 10_000;

/**
 * {@link lookupE164} for the inputs a contact centre sends again. An input already in E.164
 * costs a regular expression; any other shape costs a libphonenumber parse on the request
 * thread, which in a profile of the lookup bench (a quarter of its numbers spaced) was 7 % of
 * the main thread's time. A platform sends every number in the same shape and the same
 * numbers call again, so each other input's reading is kept: at most 10,000 of them, none
 * longer than `ttlMs`, as the answer cache bounds its own (the inputs are phone numbers, held in
 * memory only). Reading an input is a pure function of it and the country, so nothing needs
 * invalidating. `ttlMs` 0 keeps nothing.
 */
export class RecentPhoneInputs {
  readonly #readings: LRUCache<string, { e164: string | null }> | null;

  constructor(
    private readonly country: CountryCode,
    ttlMs: number,
  ) {
    this.#readings = ttlMs > 0 ? new LRUCache({ max: RECENT_INPUTS_MAX, ttl: ttlMs, ttlAutopurge: false, updateAgeOnGet: false }) : null;
  }

  /** Inputs whose reading is kept. */
  get size(): number {
    return this.#readings?.size ?? 0;
  }

  /** The E.164 form of `input`, or `null` when it is no phone number (see {@link lookupE164}). */
  e164(input: string): string | null {
    if (!this.#readings) return lookupE164(input, this.country);
    if (E164.test(input)) return input;
    const kept = this.#readings.get(input);
    if (kept) return kept.e164;
    const e164 = lookupE164(input, this.country);
    this.#readings.set(input, { e164 });
    return e164;
  }
}
