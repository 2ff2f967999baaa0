import type { z } from 'zod';

/** HTTP methods used by the API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a route authenticates:
 * - `none`: public;
 * - `partnerKey`: `X-API-Key` + `X-Platform` (lead partners);
 * - `staffJwt`: `Authorization: Bearer <token from POST /auth/login>`, for the route's `roles`;
 * - `integrationJwt`: `Authorization: Bearer <token from POST /api/integration/auth>` (a therapist,
 *   acting through an integration partner);
 * - `lookupKey`: a CCaaS lookup API key, sent as `x-api-key: <key>` or as
 *   `Authorization: Bearer <key>` (the same key either way, as the lookup seed allows);
 * - `twilioSignature`: a callback from Twilio, signed in `X-Twilio-Signature` (HMAC-SHA1 with the
 *   account's auth token over the public URL and the form parameters);
 * - `sendgridSignature`: a SendGrid Event Webhook post, signed in
 *   `X-Twilio-Email-Event-Webhook-Signature` (ECDSA P-256 over the timestamp and the raw body).
 *
 * - `googleChannelToken`: a Google Calendar push notification, naming its watch channel in
 *   `X-Goog-Channel-ID` and carrying the secret we gave that channel in `X-Goog-Channel-Token`
 *   (checked against the stored channel, in constant time).
 *
 * - `graphClientState`: a Microsoft Graph change or lifecycle notification, each item naming its
 *   subscription (`subscriptionId`) with the secret we gave it (`clientState`); a request with
 *   `?validationToken=` is Graph validating the URL and carries no secret.
 *
 * The provider schemes take no credential of ours: the signature over the bytes received is
 * the credential, so the body is read before authentication on those routes.
 */
export type AuthScheme = 'none' | 'partnerKey' | 'staffJwt' | 'integrationJwt' | 'lookupKey' | 'twilioSignature' | 'sendgridSignature' | 'googleChannelToken' | 'graphClientState';

/** Schemes whose credential is a provider's signature over the request body. */
export const PROVIDER_SIGNATURE_SCHEMES: readonly AuthScheme[] = ['twilioSignature', 'sendgridSignature', 'googleChannelToken', 'graphClientState'];

/** Whether a route is called by a provider signing its request body (see {@link AuthScheme}). */
export function isProviderSigned(route: Pick<RouteSpec, 'auth'>): boolean {
  return PROVIDER_SIGNATURE_SCHEMES.includes(route.auth);
}

/**
 * How a request body is encoded: `json` (the default) or `form`
 * (`application/x-www-form-urlencoded`, as Twilio posts its callbacks; parsed into an object of
 * strings, the last value winning for a repeated name).
 */
export type BodyEncoding = 'json' | 'form';

/**
 * How the success answer is encoded: `json` (the default), `xml` (TwiML, which Twilio reads
 * from an inbound-message webhook) or `html` (a page a browser lands on, such as the end of an
 * OAuth consent) or `text` (`text/plain`, as Microsoft Graph's validation handshake wants); the
 * response schema is then the text.
 */
export type ResponseEncoding = 'json' | 'xml' | 'html' | 'text';

/** Named rate-limit buckets (DESIGN §4.6); each counts per credential. */
export type RateLimitBucket = 'leads' | 'integration' | 'lookup';

/** Error statuses a route may document. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** Success statuses. */
export type SuccessStatus = 200 | 201;

/**
 * A documented answer that is not an error although its status is not 2xx: its body has its
 * own schema instead of the error envelope. The lookup seed's 404 `{ found: false, ... }` is
 * one: callers treat it as a normal outcome ("no case"), not as a failure.
 */
export interface AlternativeResponse {
  /** What the answer means, for the docs. */
  readonly description: string;
  readonly response: z.ZodType;
}

/** One endpoint: everything the server, SDK, docs and tests need to know about it. */
export interface RouteSpec {
  /** Stable identifier, e.g. `ingestLead`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/leads/{leadId}`. */
  readonly path: `/${string}`;
  /** One line for docs and the API map. */
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: AuthScheme;
  /**
   * For `staffJwt`: the roles allowed. Deny by default: a route that names none is for admins
   * only (see `allowedRoles`); every staff route of the table names its roles anyway.
   */
  readonly roles?: readonly StaffRoleName[];
  /**
   * For `auth: 'none'`: a staff bearer token may be sent, and when it is, it is verified (a
   * wrong or expired one is refused, never ignored) and its role must be one of `roles`. The
   * route serves anonymous callers and signed-in staff differently (`POST /auth/register`:
   * anyone may create the first admin, only an admin any account after that).
   */
  readonly optionalStaffToken?: boolean;
  readonly rateLimit?: RateLimitBucket;
  /**
   * Whether every call writes an audit row (DESIGN §4.10). Auditing is the default: a route
   * is audited unless it says `audit: false` (only the health check opts out). See
   * `isAudited`.
   */
  readonly audit?: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  /**
   * Largest JSON body this route takes, in bytes, when that is more than the server's default
   * (`CAREOS_BODY_LIMIT`): a bulk send of thousands of recipients. The larger of the two applies.
   */
  readonly bodyLimitBytes?: number;
  /** Encoding of `body` (default `json`). */
  readonly bodyEncoding?: BodyEncoding;
  readonly status: SuccessStatus;
  /** Encoding of the success answer (default `json`); errors are always the JSON envelope. */
  readonly responseEncoding?: ResponseEncoding;
  readonly response: z.ZodType;
  /**
   * Non-error answers at other statuses, by status. A status listed here is not also listed
   * in `errors`: its body is the given schema, not the error envelope.
   */
  readonly alternatives?: Readonly<Partial<Record<ErrorStatus, AlternativeResponse>>>;
  /** Documented error statuses with the exact `error` strings each may carry. */
  readonly errors: Readonly<Partial<Record<ErrorStatus, readonly string[]>>>;
  /**
   * Top-level body fields left out when deciding whether a resend is the same request (the
   * `Idempotency-Key` fingerprint, and a route's own natural key): values a client legitimately
   * produces anew on every send, such as an RSA-OAEP ciphertext. What they stand for must be
   * covered by another field that stays in (the phone hash covers the encrypted phone).
   */
  readonly fingerprintExcludes?: readonly string[];
}

/** A staff account's role. */
export type StaffRoleName = 'admin' | 'staff';

/** Every staff role. */
export const STAFF_ROLES: readonly StaffRoleName[] = ['admin', 'staff'];

/**
 * The roles a `staffJwt` route (or an `optionalStaffToken` one, when a token is sent) admits: its
 * `roles`, or admins only when it names none (deny by default). Empty for other schemes.
 */
export function allowedRoles(route: Pick<RouteSpec, 'auth' | 'roles' | 'optionalStaffToken'>): readonly StaffRoleName[] {
  if (route.auth !== 'staffJwt' && !route.optionalStaffToken) return [];
  return route.roles ?? ['admin'];
}

/** Declares a route, keeping its literal types for inference. */
export function defineRoute<const R extends RouteSpec>(route: R): R {
  return route;
}

/** Path parameters a route accepts (as the caller writes them). */
export type RouteParams<R extends RouteSpec> = R extends { params: infer P extends z.ZodType } ? z.input<P> : never;
/** Query parameters a route accepts. */
export type RouteQuery<R extends RouteSpec> = R extends { query: infer Q extends z.ZodType } ? z.input<Q> : never;
/** Request body a route accepts. */
export type RouteBody<R extends RouteSpec> = R extends { body: infer B extends z.ZodType } ? z.input<B> : never;
/** Parsed success response of a route. */
export type RouteResponse<R extends RouteSpec> = z.output<R['response']>;
/** Parsed body of any of a route's alternative responses (`never` when it has none). */
export type RouteAlternative<R extends RouteSpec> = R extends { alternatives: infer A }
  ? { [S in keyof A]: A[S] extends { response: infer T extends z.ZodType } ? z.output<T> : never }[keyof A]
  : never;
/** Every non-error body a route can answer: its success response or one of its alternatives. */
export type RouteOutcome<R extends RouteSpec> = RouteResponse<R> | RouteAlternative<R>;

/**
 * Whether a route honours `Idempotency-Key` (DESIGN §4.3): a POST by an authenticated caller,
 * to whom the key is scoped. Credential exchanges (`auth: 'none'`) and lookups do not: their
 * answers are fresh credentials or patient data that must not be stored for replay, and
 * repeating them is harmless.
 */
export function acceptsIdempotencyKey(route: Pick<RouteSpec, 'method' | 'auth'>): boolean {
  return route.method === 'POST' && (route.auth === 'partnerKey' || route.auth === 'staffJwt' || route.auth === 'integrationJwt');
}

/**
 * Whether calls to a route are audited: every route is, unless its table entry opts out with
 * `audit: false` (DESIGN §4.10). `true` and a missing flag mean the same.
 */
export function isAudited(route: RouteSpec): boolean {
  return route.audit !== false;
}

/** Turns `/api/leads/{leadId}` into `/api/leads/:leadId` (Express style). */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Fills `{name}` placeholders with URI-encoded values. */
export function fillPath(path: string, params: Readonly<Record<string, string | number>> = {}): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new TypeError(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}
