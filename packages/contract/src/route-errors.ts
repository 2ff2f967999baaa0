import { z } from 'zod';
import { ErrorText, missingFieldsMessage } from './errors.js';
import { acceptsIdempotencyKey, allowedRoles, STAFF_ROLES, type AuthScheme, type ErrorStatus, type RouteSpec } from './route.js';

/** Error statuses with the `error` strings each may carry. */
export type RouteErrors = Readonly<Partial<Record<ErrorStatus, readonly string[]>>>;

/** The 401 (and 403) answers of each authentication scheme, whatever the route. */
const AUTH_ERRORS: Record<Exclude<AuthScheme, 'none'>, RouteErrors> = {
  partnerKey: { 401: [ErrorText.invalidApiKey] },
  staffJwt: { 401: [ErrorText.notAuthenticated, ErrorText.tokenExpired] },
  integrationJwt: {
    401: [ErrorText.invalidIntegrationToken, ErrorText.tokenExpired, ErrorText.integrationAccessRevoked, ErrorText.therapistNotFound],
    403: [ErrorText.ipNotAllowed],
  },
  lookupKey: { 401: [ErrorText.unauthorized] },
  // A missing, wrong or stale signature; also when the server has no key to check it with.
  twilioSignature: { 403: [ErrorText.invalidSignature] },
  sendgridSignature: { 403: [ErrorText.invalidSignature] },
  // An unknown channel and a wrong token alike, so channel ids cannot be probed.
  googleChannelToken: { 403: [ErrorText.invalidSignature] },
  graphClientState: { 403: [ErrorText.invalidSignature] },
};

/** Top-level fields a body must carry: those its schema refuses to see absent. */
export function requiredBodyFields(body: z.ZodType | undefined): string[] {
  if (!(body instanceof z.ZodObject)) return [];
  return Object.entries(body.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

/**
 * The errors a route can answer because of how it is declared, not what its handler does:
 * its authentication scheme and roles, each request part it validates, a JSON body (too large,
 * wrong type), an `Idempotency-Key` it honours, its rate-limit bucket, and the two every route
 * can answer (500, and 503 while the server cannot start). A route's own `errors` add what only
 * its handler knows.
 */
export function impliedErrors(route: RouteSpec): RouteErrors {
  const implied: Partial<Record<ErrorStatus, string[]>> = {};
  const add = (status: ErrorStatus, ...strings: string[]) => (implied[status] ??= []).push(...strings);
  if (route.auth !== 'none') for (const [status, strings] of Object.entries(AUTH_ERRORS[route.auth])) add(Number(status) as ErrorStatus, ...strings!);
  if (allowedRoles(route).length > 0 && allowedRoles(route).length < STAFF_ROLES.length) add(403, ErrorText.forbidden);
  if (route.params) add(400, ErrorText.invalidParams);
  if (route.query) add(400, ErrorText.invalidQuery);
  if (route.headers) add(400, ErrorText.invalidHeaders);
  if (route.body) {
    // Named for every required field here; a request missing fewer gets the same sentence naming only those.
    const required = requiredBodyFields(route.body);
    const form = route.bodyEncoding === 'form';
    add(400, ...(required.length ? [missingFieldsMessage(required)] : []), ErrorText.invalidBody, ...(form ? [] : [ErrorText.malformedJson]));
    add(413, ErrorText.payloadTooLarge);
    add(415, form ? ErrorText.unsupportedFormMediaType : ErrorText.unsupportedMediaType);
  }
  if (acceptsIdempotencyKey(route)) {
    add(400, ErrorText.invalidHeaders);
    add(409, ErrorText.idempotencyInProgress);
    add(422, ErrorText.idempotencyConflict);
  }
  if (route.rateLimit) add(429, ErrorText.rateLimited);
  add(500, ErrorText.internal);
  add(503, ErrorText.serviceUnavailable);
  return implied;
}

/**
 * Every error a route can answer: its own `errors` merged with {@link impliedErrors}, strings
 * deduplicated, the route's own first. A status the route lists under `alternatives` is left
 * out (its body is not the error envelope). The server checks responses against this and the
 * OpenAPI document is built from it, so neither can forget an error the other knows.
 */
export function routeErrors(route: RouteSpec): RouteErrors {
  const merged: Partial<Record<ErrorStatus, string[]>> = {};
  for (const source of [route.errors, impliedErrors(route)]) {
    for (const [key, strings] of Object.entries(source)) {
      const status = Number(key) as ErrorStatus;
      if (route.alternatives?.[status]) continue;
      const list = (merged[status] ??= []);
      for (const text of strings ?? []) if (!list.includes(text)) list.push(text);
    }
  }
  return merged;
}

/** Every status a route can answer: success, alternatives and errors. */
export function documentedStatuses(route: RouteSpec): Set<number> {
  return new Set([route.status, ...Object.keys(route.alternatives ?? {}).map(Number), ...Object.keys(routeErrors(route)).map(Number)]);
}
