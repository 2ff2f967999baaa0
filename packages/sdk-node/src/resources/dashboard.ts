import { routes, type Dashboard as DashboardFigures } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { get: routes.getDashboard } as const;

/** Business metrics: contacts, leads, low stock, active alerts, messages queued and failed. Staff or admin. */
export class Dashboard extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** The figures as of now; each is exact and as cheap to read with a million records as with ten. */
  get(options?: RequestOptions): APIPromise<DashboardFigures> {
    return this._client.request(R.get, undefined, options);
  }
}
