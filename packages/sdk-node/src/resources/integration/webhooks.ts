import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { register: routes.registerWebhook, remove: routes.deleteWebhook } as const;

/** Body of `webhooks.register()`: `webhookUrl` and the `events` to receive. */
export type WebhookRegisterParams = RouteBody<typeof routes.registerWebhook>;
/** The registration, with the `webhookSecret` that is shown only this once. */
export type WebhookRegisterResponse = RouteResponse<typeof routes.registerWebhook>;
/** The removed endpoint, with `disabled_at` set. */
export type WebhookRemoveResponse = RouteResponse<typeof routes.deleteWebhook>;

/** Real-time alerts about the therapist's clients, POSTed to your URL. */
export class IntegrationWebhooks extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Registers `webhookUrl` for `events` (`alert.created`, `alert.critical`, `milestone.achieved`,
   * `consent.revoked`). Store `webhookSecret` at once: it is returned only here and verifies every
   * delivery (`@careos/webhook-verifier`). Registering the same URL again issues a new secret.
   */
  register(body: WebhookRegisterParams, options?: RequestOptions): APIPromise<WebhookRegisterResponse> {
    return this._client.request(R.register, { body }, options);
  }

  /**
   * Removes the endpoint `webhookId` (the `webhookId` of {@link register}): nothing more is sent
   * to it and its pending deliveries are dropped. Only this therapist's endpoints can be removed;
   * another id, or one already removed, rejects with a 404 `NotFoundError`.
   */
  remove(webhookId: string, options?: RequestOptions): APIPromise<WebhookRemoveResponse> {
    return this._client.request(R.remove, { params: { webhookId } }, options);
  }
}
