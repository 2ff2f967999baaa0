import { routes, type PartnerPayment, type RouteQuery } from '@careos/contract';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listPartnerPayments } as const;

/** Query of `partner.payments.list()`: `status`, `limit` (1-500, default 100), `cursor`. */
export type PaymentListParams = RouteQuery<typeof routes.listPartnerPayments>;

/** What CareOS owes you per lead. Partner API key auth. */
export class PartnerPayments extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Your payments, newest first. `await` for the first page, or `for await` over every payment. */
  list(query?: PaymentListParams, options?: RequestOptions): PagePromise<PartnerPayment> {
    return this._client.requestPage(R.list, query, options);
  }
}
