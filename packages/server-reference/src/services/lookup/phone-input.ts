import { tryNormalizePhone, type NormalizePhoneOptions } from '@careos/contract';

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
