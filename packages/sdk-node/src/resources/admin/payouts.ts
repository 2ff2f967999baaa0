import { routes, type Payout, type RouteQuery } from '@careos/contract';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listPayouts } as const;

/** Query of `admin.payouts.list()`: `partner`, `limit`, `cursor`. */
export type PayoutListParams = RouteQuery<typeof routes.listPayouts>;

/** Transfers made to partners. Admin role. */
export class AdminPayouts extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Payouts, newest first; iterate with `for await` to walk every page. */
  list(query?: PayoutListParams, options?: RequestOptions): PagePromise<Payout> {
    return this._client.requestPage(R.list, query, options);
  }
}
