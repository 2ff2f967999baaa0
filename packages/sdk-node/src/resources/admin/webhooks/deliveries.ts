import { routes, type RouteQuery, type WebhookDelivery, type WebhookDeliveryDetail } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import type { PagePromise } from '../../../core/pagination.js';
import { APIResource } from '../../../core/resource.js';

const R = { list: routes.listWebhookDeliveries, retrieve: routes.retrieveWebhookDelivery, redeliver: routes.redeliverWebhook } as const;

/** Query of `admin.webhooks.deliveries.list()`: `status`, `event`, `endpoint`, `limit`, `cursor`. */
export type WebhookDeliveryListParams = RouteQuery<typeof routes.listWebhookDeliveries>;

/** Webhook deliveries and their attempts. Admin role. */
export class AdminWebhookDeliveries extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Deliveries, newest first, with where each stands; iterate with `for await` to walk every page. */
  list(query?: WebhookDeliveryListParams, options?: RequestOptions): PagePromise<WebhookDelivery> {
    return this._client.requestPage(R.list, query, options);
  }

  /** One delivery with every attempt made. */
  retrieve(deliveryId: string, options?: RequestOptions): APIPromise<WebhookDeliveryDetail> {
    return this._client.request(R.retrieve, { params: { deliveryId } }, options);
  }

  /** Sends a delivery again now, whatever its status; same body and `webhook-id`, so receivers see a duplicate. */
  redeliver(deliveryId: string, options?: RequestOptions): APIPromise<WebhookDelivery> {
    return this._client.request(R.redeliver, { params: { deliveryId } }, options);
  }
}
