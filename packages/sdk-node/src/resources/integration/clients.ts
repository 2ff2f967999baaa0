import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = {
  list: routes.listIntegrationClients,
  progress: routes.retrieveClientProgress,
  sessionPrep: routes.retrieveSessionPrep,
  assign: routes.assignClientActivity,
} as const;

/** `{ clients, total }`: the therapist's consented clients. */
export type IntegrationClientListResponse = RouteResponse<typeof routes.listIntegrationClients>;
/** A client's progress, filtered by their permission level. */
export type ClientProgressResponse = RouteResponse<typeof routes.retrieveClientProgress>;
/** Query of `clients.sessionPrep()`. */
export interface SessionPrepParams {
  /** Anchor of "since last session": an ISO 8601 timestamp or a `Date`. Default: 7 days ago. */
  lastSessionDate?: string | Date;
}
/** `{ report }`: the generated session-preparation report. */
export type SessionPrepReportResponse = RouteResponse<typeof routes.retrieveSessionPrep>;
/** Body of `clients.assign()`: `taskDescription` plus optional `module`, `activities`, `notes`, `dueDate`, `priority`. */
export type AssignActivityParams = RouteBody<typeof routes.assignClientActivity>;
/** `{ message: 'Activity assigned', task }`. */
export type AssignActivityResult = RouteResponse<typeof routes.assignClientActivity>;

/**
 * The therapist's clients. Calls about one client throw `NoConsentError` when the client has not
 * consented to this therapist, and `InsufficientPermissionError` when their level is too low.
 */
export class IntegrationClients extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Every client who has consented to this therapist, with couple, latest activity and unread alerts. */
  list(options?: RequestOptions): APIPromise<IntegrationClientListResponse> {
    return this._client.request(R.list, undefined, options);
  }

  /** Assessment scores, activity completion and course progress; mood and ratio trends from STANDARD up. */
  progress(clientId: string, options?: RequestOptions): APIPromise<ClientProgressResponse> {
    return this._client.request(R.progress, { params: { clientId } }, options);
  }

  /** A session-preparation report of what changed since `lastSessionDate` (STANDARD or FULL permission). */
  sessionPrep(clientId: string, query?: SessionPrepParams, options?: RequestOptions): APIPromise<SessionPrepReportResponse> {
    return this._client.request(R.sessionPrep, { params: { clientId }, query }, options);
  }

  /** Assigns modules or activities to the client. Safe to retry: one `Idempotency-Key` covers every attempt. */
  assign(clientId: string, body: AssignActivityParams, options?: RequestOptions): APIPromise<AssignActivityResult> {
    return this._client.request(R.assign, { params: { clientId }, body }, options);
  }
}
