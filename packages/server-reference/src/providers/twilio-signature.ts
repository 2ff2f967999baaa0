import { createHmac } from 'node:crypto';
import { sameSecret } from '../crypto/same-secret.js';

/**
 * Twilio's request signature (`X-Twilio-Signature`) on status callbacks and inbound messages:
 * base64 HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio requested
 * (scheme, host, path and query string) followed, for a form POST, by every parameter's name
 * and value, sorted by name.
 *
 * The URL must be the public one Twilio was given (the configured public base URL plus the
 * request's path), not the one the server sees: behind a TLS-terminating proxy the server sees
 * `http://` and an internal host, and a signature checked against that never matches.
 */

/** Form parameters of a callback: one value per name, or several for a repeated name. */
export type TwilioParams = Record<string, string | readonly string[]> | URLSearchParams;

/** Computes the `X-Twilio-Signature` Twilio sends for `url` and `params` (see the module comment). */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  const pairs = toPairs(params);
  // Sorted by name, then by value for a repeated name, as Twilio's own libraries do.
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of pairs) hmac.update(name + value, 'utf8');
  return hmac.digest('base64');
}

/**
 * Whether `signature` (the `X-Twilio-Signature` header) is Twilio's for `url` and `params`,
 * compared in constant time. Like Twilio's libraries, an `https` URL is also tried with and
 * without an explicit `:443`, since Twilio has signed both forms.
 *
 * @param url the full public URL of the request, query string included.
 */
export function verifyTwilioSignature(authToken: string, url: string, params: TwilioParams, signature: string | undefined | null): boolean {
  if (!signature) return false;
  return urlVariants(url).some((candidate) => sameSecret(signature, computeTwilioSignature(authToken, candidate, params)));
}

function toPairs(params: TwilioParams): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') pairs.push([name, value]);
    else for (const item of value) pairs.push([name, item]);
  }
  return pairs;
}

function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : null;
  if (defaultPort === null) return [url];
  // `URL` drops a default port, so the form with it is rebuilt by hand.
  const withoutPort = parsed.toString();
  const withPort = `${parsed.protocol}//${parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''}${parsed.hostname}:${parsed.port || defaultPort}${parsed.pathname}${parsed.search}`;
  return [...new Set([url, withoutPort, withPort])];
}
