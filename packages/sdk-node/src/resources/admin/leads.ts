import { routes, type Lead, type RouteQuery } from '@careos/contract';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listLeads } as const;

/** Query of `admin.leads.list()`: `partner`, `limit`, `cursor`. */
export type AdminLeadListParams = RouteQuery<typeof routes.listLeads>;

/** Every partner's leads. Staff or admin. */
export class AdminLeads extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** All leads, newest first; iterate with `for await` to walk every page. */
  list(query?: AdminLeadListParams, options?: RequestOptions): PagePromise<Lead> {
    return this._client.requestPage(R.list, query, options);
  }
}
