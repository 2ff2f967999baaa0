import { tryNormalizePhone } from '@careos/contract';
import type { CountryCode } from '../core/options.js';

/** Already E.164: the shape CCaaS platforms mostly send, and the cache's key. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** One space, then an international number: what an unencoded `+` in a query string decodes to. */
const PLUS_AS_SPACE = /^ [1-9]/;
/** `tel:+1-201-555-0123;ext=1` (RFC 3966) or `sip:+14155550100@carrier.example;user=phone`, as some platforms give the ANI. */
const PHONE_URI = /^(?:tel|sips?):([^@;]*)/i;
/** Longer input is no phone number; the contract's limit, checked before any parsing. */
const MAX_INPUT = 128;

/** Decodes `%2B39…`, also twice-encoded; gives the value back when it is not decodable. */
function decodeEscapes(value: string): string {
  let current = value;
  for (let round = 0; round < 2 && /%[0-9A-Fa-f]{2}/.test(current); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return current;
    }
  }
  return current;
}

/** Separators people and platforms put in numbers. */
const SEPARATORS = /[\s().\-\u00a0]/g;
/** A national number once separators are gone: digits only, as long as a phone number can be. */
const NATIONAL = /^\d{4,15}$/;

/**
 * The key a caller's number is cached and looked up by: its E.164 form, or, for a national
 * number when no `defaultCountry` is configured, its digits as typed (`0622224444`), which the
 * server reads in its own default country (the country of the CRM's records). `null` when the
 * input is no phone number.
 *
 * Input already in E.164 is returned as it is, without libphonenumber: that is how CCaaS
 * platforms mostly send the ANI, and it keeps a cached lookup down to a regex test and a map
 * lookup. Other shapes are read the way the server reads them: spaced international
 * (`+39 06 2222 4444`), `00` for `+`, URL-encoded (`%2B39…`), a leading space where an
 * unencoded `+` was lost, `tel:`/`sip:` URIs, and national format.
 *
 * Guessing a country for national numbers would be worse than not knowing it: `06 2222 4444`
 * read as a US number is a valid-looking key that finds nothing, for ever.
 */
export function lookupPhoneKey(input: unknown, defaultCountry: CountryCode | undefined): string | null {
  if (typeof input !== 'string') return null;
  if (E164.test(input)) return input;
  if (input.length > MAX_INPUT) return null;
  let value = input.includes('%') ? decodeEscapes(input) : input;
  const uri = PHONE_URI.exec(value.trim());
  if (uri) value = uri[1] ?? '';
  const plusLost = PLUS_AS_SPACE.test(value);
  if (plusLost) value = `+${value.slice(1)}`;
  if (E164.test(value)) return value;
  const compact = value.trim().replace(SEPARATORS, '');
  const international = compact.startsWith('+') || compact.startsWith('00');
  if (defaultCountry === undefined && !international) return NATIONAL.test(compact) ? compact : null;
  const country = defaultCountry ?? 'US'; // only consulted for national numbers, handled above without a country
  // When the "+" reading gives no possible number, the space was just a space.
  return tryNormalizePhone(value, { defaultCountry: country }) ?? (plusLost ? lookupPhoneKey(value.slice(1), defaultCountry) : null);
}
