import { routes, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { dynamics: routes.retrieveCoupleDynamics } as const;

/** Both partners side by side, matchups and the couple profile; a partner who has not consented is `null`. */
export type CoupleDynamicsResponse = RouteResponse<typeof routes.retrieveCoupleDynamics>;

/** Couples among the therapist's clients. */
export class IntegrationCouples extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Side-by-side partner comparison, matchup scores and couple profile. A partner's side (and
   * the shared analysis) is withheld unless that partner consented; `NoConsentError` when neither did.
   */
  dynamics(coupleId: string, options?: RequestOptions): APIPromise<CoupleDynamicsResponse> {
    return this._client.request(R.dynamics, { params: { coupleId } }, options);
  }
}
