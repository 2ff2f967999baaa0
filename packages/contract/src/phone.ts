import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Thrown when a string cannot be read as a phone number. Its message never contains the input. */
export class InvalidPhoneError extends Error {
  override readonly name = 'InvalidPhoneError';
  constructor() {
    super('Not a valid phone number (use E.164, e.g. +14155550100, or national format with a default country)');
  }
}

/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /** Country assumed for numbers written without a country code. Default `US`. */
  defaultCountry?: CountryCode;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const SEPARATORS = /[\s().\-\u00a0]/g;

/**
 * Normalises a phone number to E.164 (`+14155550100`), the only form CareOS hashes,
 * stores or compares (DESIGN §4.4). Accepts international (`+39 06 2222 4444`, `0039 ...`)
 * and national (`(415) 555-0100`, with `defaultCountry`) shapes.
 *
 * @throws {@link InvalidPhoneError} when the input is not a possible phone number.
 */
export function normalizePhone(input: string, options: NormalizePhoneOptions = {}): string {
  const result = tryNormalizePhone(input, options);
  if (result === null) throw new InvalidPhoneError();
  return result;
}

/** Like {@link normalizePhone} but returns `null` instead of throwing. */
export function tryNormalizePhone(input: string, options: NormalizePhoneOptions = {}): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  let compact = input.trim().replace(SEPARATORS, '');
  if (compact.startsWith('00')) compact = `+${compact.slice(2)}`;
  const parsed = parsePhoneNumberFromString(compact, options.defaultCountry ?? 'US');
  if (!parsed || !parsed.isPossible()) return null;
  return E164.test(parsed.number) ? parsed.number : null;
}

/** Masks a phone for display: `+14155550100` → `+14•••••••00`. */
export function maskPhone(e164: string): string {
  if (e164.length <= 5) return '•'.repeat(e164.length);
  return `${e164.slice(0, 3)}${'•'.repeat(e164.length - 5)}${e164.slice(-2)}`;
}
