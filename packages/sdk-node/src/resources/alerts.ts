import { routes, type OpsAlert, type OpsAlertCount, type RouteQuery } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = { list: routes.listAlerts, count: routes.countAlerts, retrieve: routes.getAlert, dismiss: routes.dismissAlert } as const;

/** Query of `alerts.list()`: `type`, `severity`, `dismissed`, `limit`, `cursor`. */
export type OpsAlertListParams = RouteQuery<typeof routes.listAlerts>;

/** Operations alerts: failed SMS, payouts and webhook deliveries, items low on stock. Staff or admin. */
export class Alerts extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Alerts, newest first; iterate with `for await` to walk every page. */
  list(query?: OpsAlertListParams, options?: RequestOptions): PagePromise<OpsAlert> {
    return this._client.requestPage(R.list, query, options);
  }

  /** How many alerts are active, in all and by severity. */
  count(options?: RequestOptions): APIPromise<OpsAlertCount> {
    return this._client.request(R.count, undefined, options);
  }

  /** One alert. */
  retrieve(id: string, options?: RequestOptions): APIPromise<OpsAlert> {
    return this._client.request(R.retrieve, { params: { id } }, options);
  }

  /** Dismisses an alert as the signed-in account; dismissing it again changes nothing. */
  dismiss(id: string, options?: RequestOptions): APIPromise<OpsAlert> {
    return this._client.request(R.dismiss, { params: { id } }, options);
  }
}
