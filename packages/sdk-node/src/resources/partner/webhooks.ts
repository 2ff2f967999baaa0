import { routes, type RouteBody, type RouteQuery, type RouteResponse, type WebhookEndpoint } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { create: routes.createPartnerWebhook, list: routes.listPartnerWebhooks, remove: routes.deletePartnerWebhook } as const;

/** Body of `partner.webhooks.create()`: `url` and `events` (default: every partner event, i.e. `payment.paid`). */
export type PartnerWebhookCreateParams = RouteBody<typeof routes.createPartnerWebhook>;
/** `{ webhook, secret }`: the endpoint and its `whsec_` secret, shown only this once. */
export type PartnerWebhookCreateResponse = RouteResponse<typeof routes.createPartnerWebhook>;
/** Query of `partner.webhooks.list()`: `limit`, `cursor`. */
export type PartnerWebhookListParams = RouteQuery<typeof routes.listPartnerWebhooks>;
/** The removed endpoint, with `disabled_at` set. */
export type PartnerWebhookRemoveResponse = RouteResponse<typeof routes.deletePartnerWebhook>;

/** Your webhook endpoints as a lead partner (e.g. for `payment.paid`). Partner API key auth. */
export class PartnerWebhooks extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Registers `url` for `events`; store the returned `secret` at once. Registering a URL again issues a new secret. */
  create(body: PartnerWebhookCreateParams, options?: RequestOptions): APIPromise<PartnerWebhookCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Your endpoints, without secrets. `await` for the first page, or `for await` over every endpoint. */
  list(query?: PartnerWebhookListParams, options?: RequestOptions): PagePromise<WebhookEndpoint> {
    return this._client.requestPage(R.list, query, options);
  }

  /**
   * Removes your endpoint `webhookId`: nothing more is sent to it, its pending deliveries are
   * dropped and it leaves {@link list}. Another partner's id, or one already removed, rejects
   * with a 404 `NotFoundError`.
   */
  remove(webhookId: string, options?: RequestOptions): APIPromise<PartnerWebhookRemoveResponse> {
    return this._client.request(R.remove, { params: { webhookId } }, options);
  }
}
