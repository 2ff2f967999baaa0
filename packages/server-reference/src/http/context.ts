import type { RouteSpec } from '@careos/contract';
import type { Response } from 'express';
import type { LookupIdentity } from '../services/lookup/keys.js';
import type { PartnerIdentity } from '../services/partners.js';
import type { StaffIdentity } from '../services/staff.js';

/** Who an integration token speaks for: a therapist, through one integration partner's API key. */
export interface IntegrationIdentity {
  /** Integration partner id. */
  partnerId: string;
  /** Id of the API key the token was issued for (rate limits count per key). */
  apiKeyId: string;
  therapistId: string;
  /** The partner's custom requests per minute (`null`: the server default). */
  rateLimitPerMinute?: number | null;
}

/** Validated request parts, as the route's schemas output them. */
export interface ValidatedInput {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
}

/** Per-request state shared by the middleware chain (kept on `res.locals`). */
export interface RequestContext {
  requestId: string;
  /** `performance.now()` at arrival. */
  startedAt: number;
  /** The contract route matched, once routing got that far. */
  route: RouteSpec | null;
  partner: PartnerIdentity | null;
  staff: StaffIdentity | null;
  integration: IntegrationIdentity | null;
  /** The CCaaS lookup key the request authenticated with. */
  lookup: LookupIdentity | null;
  /** The person or record the request touched, for the audit row. */
  auditSubject: { type: string; id: string } | null;
  input: ValidatedInput | null;
}

const KEY = 'careos';

/** Creates the context of a new request. */
export function initContext(res: Response, requestId: string): RequestContext {
  const ctx: RequestContext = { requestId, startedAt: performance.now(), route: null, partner: null, staff: null, integration: null, lookup: null, auditSubject: null, input: null };
  res.locals[KEY] = ctx;
  return ctx;
}

/** The context of a request (always set by the first middleware). */
export function requestContext(res: Response): RequestContext {
  return res.locals[KEY] as RequestContext;
}
