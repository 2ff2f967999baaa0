import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createCouple } as const;

/** Body of `admin.integration.couples.create()`: `partner1_id`, `partner2_id`, `status`. */
export type CoupleCreateParams = RouteBody<typeof routes.createCouple>;
/** `{ couple }`. */
export type CoupleRecordResponse = RouteResponse<typeof routes.createCouple>;

/** Couples of two clients (sandbox). Admin role. */
export class AdminIntegrationCouples extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Pairs two existing clients as a couple. */
  create(body: CoupleCreateParams, options?: RequestOptions): APIPromise<CoupleRecordResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
