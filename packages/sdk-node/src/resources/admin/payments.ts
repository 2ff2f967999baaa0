import { routes, type ProcessPaymentsResponse, type RouteBody } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { process: routes.processPayments } as const;

/** Body of `admin.payments.process()`: optional `as_of` and `partner`. */
export type PaymentProcessParams = RouteBody<typeof routes.processPayments>;

/** Partner payment runs. Admin role. */
export class AdminPayments extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Pays partners what is due (the monthly job, on demand). */
  process(body?: PaymentProcessParams, options?: RequestOptions): APIPromise<ProcessPaymentsResponse> {
    return this._client.request(R.process, { body }, options);
  }
}
