import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createLookupCase } as const;

/** Body of `admin.lookup.cases.create()`: `patient_id` or a new `patient`, plus the case's `status`, `clinic`, `treatment`… */
export type LookupCaseCreateParams = RouteBody<typeof routes.createLookupCase>;
/** The case as a lookup shows it, with its patient's ids. */
export type LookupCaseRecordResponse = RouteResponse<typeof routes.createLookupCase>;

/** Patients' cases (sandbox), so that lookups have something to find. Admin role. */
export class AdminLookupCases extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Creates a case for an existing patient (`patient_id`) or a new one (`patient`, with at least one phone). */
  create(body: LookupCaseCreateParams, options?: RequestOptions): APIPromise<LookupCaseRecordResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
