import { routes, type RouteQuery, type TherapistAlert } from '@careos/contract';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listTherapistAlerts } as const;

/** Query of `alerts.list()`. */
export interface AlertListParams extends Omit<RouteQuery<typeof routes.listTherapistAlerts>, 'unreadOnly' | 'since'> {
  /** Only unread alerts. */
  unreadOnly?: boolean;
  /** Only alerts created after this time: an ISO 8601 timestamp or a `Date`. */
  since?: string | Date;
}

/** Alerts about the therapist's clients: crisis, risk, milestone, stagnation. */
export class IntegrationAlerts extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Alerts, newest first, filtered by `type`, `unreadOnly` and `since`; `limit` is the page size
   * (default 100, max 500). `await` it for the first page (its `body` also has `unreadCount` and
   * `total`), or `for await` over every alert of every page.
   */
  list(query?: AlertListParams, options?: RequestOptions): PagePromise<TherapistAlert> {
    return this._client.requestPage(R.list, query, options);
  }
}
