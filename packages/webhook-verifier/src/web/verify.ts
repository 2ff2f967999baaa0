import { parseVerified, type Verification } from '../core/verified.js';
import { WebhookVerificationError } from '../errors.js';
import type { HeaderSource, RawPayload, VerifiedWebhook, VerifyOptions } from '../types.js';
import { legacyVerificationAsync } from './legacy.js';
import { standardVerificationAsync } from './standard.js';

/**
 * The verification the options ask for, resolved to `finish` of it. Never throws: every failure,
 * a missing `options` included, is a rejection.
 */
function verification<R>(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions, finish: (verification: Verification) => R): Promise<R> {
  return (options as VerifyOptions | null | undefined)?.scheme === 'legacy'
    ? legacyVerificationAsync(payload, headers, secrets, options, finish)
    : standardVerificationAsync(payload, headers, secrets, options, finish);
}

const bodyOf = (verified: Verification): string => verified.body;

/**
 * Verifies a delivery with Web Crypto and resolves to its body as text. Checks the Standard
 * Webhooks headers by default, or the legacy `X-CareOS-Signature` ones with `{ scheme: 'legacy' }`.
 *
 * @param payload - the raw body (`await request.arrayBuffer()`, or the text), never a parsed object
 * @param headers - `request.headers` or any object of header names
 * @param secrets - the endpoint's `whsec_…` secret, or several during a rotation (any may match)
 * @param options - tolerance (default 300 s, both directions), clock, scheme
 * @returns the body as text
 * @throws (rejects with) {@link WebhookVerificationError} whose `code` and message say what was wrong
 */
export function verifyAsync(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions = {}): Promise<string> {
  // Not an async function: the verification's own promise is the answer, one promise fewer
  // between the digest and the caller.
  return verification(payload, headers, secrets, options, bodyOf);
}

/**
 * Verifies a legacy delivery (`X-CareOS-Signature` or `X-LoveRescue-Signature`) with Web Crypto;
 * the same as `verifyAsync` with `{ scheme: 'legacy' }`. The tolerance is checked against
 * `X-CareOS-Timestamp`, which the legacy signature does not cover.
 *
 * @param payload - the raw body, never a parsed object
 * @param headers - the request headers
 * @param secrets - the endpoint's secret exactly as issued (`whsec_` included), or several
 * @param options - tolerance and clock; `scheme` is ignored
 */
export function verifyLegacyAsync(
  payload: RawPayload,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: Omit<VerifyOptions, 'scheme'> = {},
): Promise<string> {
  return legacyVerificationAsync(payload, headers, secrets, options, bodyOf);
}

/**
 * Verifies a delivery like `verifyAsync`, then parses the JSON body and resolves to it with the
 * delivery's id, type and signing time.
 *
 * @typeParam T - the event type you expect (not checked at run time)
 * @param payload - the raw body, never a parsed object
 * @param headers - the request headers
 * @param secrets - one secret, or several during a rotation
 * @param options - tolerance, clock, scheme
 */
export function verifyWebhookAsync<T = unknown>(
  payload: RawPayload,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<VerifiedWebhook<T>> {
  return verification(payload, headers, secrets, options, parseVerified<T>);
}

/**
 * The parts of a Fetch `Request` that {@link verifyRequest} reads. Described structurally so
 * that the `Request` of any runtime (Workers, Deno, Bun, Node, Next.js) fits.
 */
export interface WebhookRequestLike {
  /** The request headers. */
  readonly headers: Headers;
  /** Whether the body was already read. */
  readonly bodyUsed: boolean;
  /** Reads the raw body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads a Fetch `Request`'s raw body and verifies it: the one call a Next.js route handler,
 * Hono app, Worker or Deno server needs. Call it before anything else reads the body.
 *
 * @typeParam T - the event type you expect (not checked at run time)
 * @param request - the incoming request
 * @param secrets - one secret, or several during a rotation
 * @param options - tolerance, clock, scheme
 * @throws (rejects with) {@link WebhookVerificationError}; `BODY_ALREADY_READ` when the body was consumed first
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   const { event } = await verifyRequest(request, process.env.CAREOS_WEBHOOK_SECRET!);
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export async function verifyRequest<T = unknown>(request: WebhookRequestLike, secrets: string | readonly string[], options: VerifyOptions = {}): Promise<VerifiedWebhook<T>> {
  if (request.bodyUsed) {
    throw new WebhookVerificationError(
      'BODY_ALREADY_READ',
      'The request body was already read (e.g. by await request.json()): call verifyRequest first and use the event it returns, or pass request.clone().',
    );
  }
  return verifyWebhookAsync<T>(await request.arrayBuffer(), request.headers, secrets, options);
}
