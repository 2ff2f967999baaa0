import { readInteger } from './read-integer.js';

/** The CCaaS lookup's settings (`CAREOS_LOOKUP_*`, `CAREOS_SCREEN_POP_URL_TEMPLATE`, `CAREOS_RATE_LIMIT_LOOKUP`). */
export interface LookupConfig {
  /**
   * ISO country for numbers a contact centre sends in national format (`06 2222 4444`).
   * Separate from `CAREOS_DEFAULT_COUNTRY` (the leads' country, US): the lookup seed's CRM
   * serves Italian clinics, so its callers' national numbers are Italian.
   */
  defaultCountry: string;
  /** Link to a case in the CRM; `{case_id}` is replaced by the URL-encoded case id. */
  screenPopUrlTemplate: string;
  /** Lookups per minute per API key. */
  rateLimitPerMinute: number;
  /**
   * Lookup API keys from `CAREOS_LOOKUP_API_KEYS` (comma-separated), stored hashed at start;
   * keys removed from the variable are revoked at the next start.
   */
  apiKeys: string[];
  /**
   * Recent numbers' answers kept in memory (`CAREOS_LOOKUP_CACHE_MAX`, 0 turns the cache off).
   * Exact: any change to patients or cases drops them (see services/lookup/answer-cache.ts).
   */
  cacheMax: number;
  /** How long an answer (PHI) may stay in memory, ms (`CAREOS_LOOKUP_CACHE_TTL_MS`). */
  cacheTtlMs: number;
}

/** The seed's CRM address: the demo reproduces the seed's documented 200 body exactly. */
export const DEFAULT_SCREEN_POP_URL_TEMPLATE = 'https://crm-gules-six.vercel.app/it/cases/{case_id}';
/** DESIGN §4.6: lookup 1000/min per key. */
export const DEFAULT_LOOKUP_RATE_LIMIT = 1000;
/** About 1.5 KB each: some 75 MB at most. */
export const DEFAULT_LOOKUP_CACHE_MAX = 50_000;
export const DEFAULT_LOOKUP_CACHE_TTL_MS = 10 * 60_000;

/** Reads the lookup settings; problems are appended to `problems`. */
export function readLookupConfig(read: (name: string) => string | undefined, problems: string[]): LookupConfig {
  const defaultCountry = (read('CAREOS_LOOKUP_DEFAULT_COUNTRY') ?? 'IT').toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultCountry)) problems.push('CAREOS_LOOKUP_DEFAULT_COUNTRY must be an ISO 3166-1 alpha-2 code such as IT');

  const screenPopUrlTemplate = read('CAREOS_SCREEN_POP_URL_TEMPLATE') ?? DEFAULT_SCREEN_POP_URL_TEMPLATE;
  if (!screenPopUrlTemplate.includes('{case_id}') || !URL.canParse(screenPopUrlTemplate.replaceAll('{case_id}', '1'))) {
    problems.push('CAREOS_SCREEN_POP_URL_TEMPLATE must be an absolute URL containing {case_id}, such as https://crm.example.com/it/cases/{case_id}');
  }

  const rateLimitPerMinute = readInteger(read, 'CAREOS_RATE_LIMIT_LOOKUP', { fallback: DEFAULT_LOOKUP_RATE_LIMIT, min: 1, problem: 'CAREOS_RATE_LIMIT_LOOKUP must be a positive integer (requests per minute)' }, problems);

  const apiKeys = [...new Set((read('CAREOS_LOOKUP_API_KEYS') ?? '').split(',').map((k) => k.trim()).filter(Boolean))];
  if (apiKeys.some((k) => k.length < 12 || k.length > 512)) problems.push('CAREOS_LOOKUP_API_KEYS: every key must be 12 to 512 characters');

  const cacheMax = readInteger(read, 'CAREOS_LOOKUP_CACHE_MAX', { fallback: DEFAULT_LOOKUP_CACHE_MAX, min: 0, max: 10_000_000, problem: 'CAREOS_LOOKUP_CACHE_MAX must be a whole number of answers (0 turns the cache off)' }, problems);
  const cacheTtlMs = readInteger(read, 'CAREOS_LOOKUP_CACHE_TTL_MS', { fallback: DEFAULT_LOOKUP_CACHE_TTL_MS, min: 1, problem: 'CAREOS_LOOKUP_CACHE_TTL_MS must be a positive number of milliseconds' }, problems);

  return { defaultCountry, screenPopUrlTemplate, rateLimitPerMinute, apiKeys, cacheMax, cacheTtlMs };
}
