import { routes, type RouteQuery, type WebhookEndpoint } from '@careos/contract';
import type { RequestOptions } from '../../../core/options.js';
import type { PagePromise } from '../../../core/pagination.js';
import { APIResource } from '../../../core/resource.js';

const R = { list: routes.listWebhookEndpoints } as const;

/** Query of `admin.webhooks.endpoints.list()`: `owner_kind` (`integration` or `partner`), `limit`, `cursor`. */
export type WebhookEndpointListParams = RouteQuery<typeof routes.listWebhookEndpoints>;

/** Every registered webhook endpoint. Admin role. */
export class AdminWebhookEndpoints extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Endpoints, newest first, without secrets; iterate with `for await` to walk every page. */
  list(query?: WebhookEndpointListParams, options?: RequestOptions): PagePromise<WebhookEndpoint> {
    return this._client.requestPage(R.list, query, options);
  }
}
