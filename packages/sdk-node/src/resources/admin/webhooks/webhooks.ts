import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { CareOSCore } from '../../../core/core.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';
import { AdminWebhookDeliveries } from './deliveries.js';
import { AdminWebhookEndpoints } from './endpoints.js';

const R = { trigger: routes.triggerSandboxWebhook } as const;

/** Body of `admin.webhooks.trigger()`: `event`, plus `therapist_id` (and optionally `client_id`) or `partner`. */
export type WebhookTriggerParams = RouteBody<typeof routes.triggerSandboxWebhook>;
/** `{ event, delivery_ids }`: one delivery queued per subscribed endpoint. */
export type WebhookTriggerResponse = RouteResponse<typeof routes.triggerSandboxWebhook>;

/** Webhook endpoints, deliveries, and the sandbox trigger. Admin role. */
export class AdminWebhooks extends APIResource {
  /** Route of each method. */
  static readonly routes = R;
  /** Every registered endpoint. */
  readonly endpoints: AdminWebhookEndpoints;
  /** Deliveries and their attempts. */
  readonly deliveries: AdminWebhookDeliveries;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.endpoints = new AdminWebhookEndpoints(client);
    this.deliveries = new AdminWebhookDeliveries(client);
  }

  /** Sandbox: emits a sample `event` to every endpoint subscribed to it (for alert events with a `client_id`, a real alert). */
  trigger(body: WebhookTriggerParams, options?: RequestOptions): APIPromise<WebhookTriggerResponse> {
    return this._client.request(R.trigger, { body }, options);
  }
}
