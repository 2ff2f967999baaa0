import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createTherapistAlert } as const;

/** Body of `admin.integration.alerts.create()`: `therapist_id`, `client_id`, `alert_type`, `severity`, `message`, `metadata`. */
export type TherapistAlertCreateParams = RouteBody<typeof routes.createTherapistAlert>;
/** `{ alert, webhooks_queued }`. */
export type TherapistAlertCreateResponse = RouteResponse<typeof routes.createTherapistAlert>;

/** Alerts raised about clients (sandbox: as the app's detectors would). Admin role. */
export class AdminIntegrationAlerts extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Raises an alert for a therapist about a client, queuing `alert.created`, `alert.critical` or `milestone.achieved` webhooks. */
  create(body: TherapistAlertCreateParams, options?: RequestOptions): APIPromise<TherapistAlertCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
