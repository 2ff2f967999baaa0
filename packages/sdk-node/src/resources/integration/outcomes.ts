import { routes, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { retrieve: routes.retrieveOutcomes } as const;

/** `{ outcomes: { summary, clients } }`. */
export type OutcomesResult = RouteResponse<typeof routes.retrieveOutcomes>;

/** Caseload-wide outcomes. */
export class IntegrationOutcomes extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Outcome summary and per-client figures across every consented client of the therapist. */
  retrieve(options?: RequestOptions): APIPromise<OutcomesResult> {
    return this._client.request(R.retrieve, undefined, options);
  }
}
