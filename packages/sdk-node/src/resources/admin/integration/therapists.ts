import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createTherapist, update: routes.updateTherapist } as const;

/** Body of `admin.integration.therapists.create()`: `first_name`, `last_name`, `email`, `active`. */
export type TherapistCreateParams = RouteBody<typeof routes.createTherapist>;
/** Body of `admin.integration.therapists.update()`: `active`. */
export type TherapistUpdateParams = RouteBody<typeof routes.updateTherapist>;
/** `{ therapist }`. */
export type TherapistResponse = RouteResponse<typeof routes.createTherapist>;

/** Therapists integration partners act for. Admin role. */
export class AdminIntegrationTherapists extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Creates a therapist; its `id` is the `therapistId` of `new CareOSIntegration()`. */
  create(body: TherapistCreateParams, options?: RequestOptions): APIPromise<TherapistResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Activates or deactivates a therapist; tokens acting for an inactive therapist stop working at once. */
  update(therapistId: string, body: TherapistUpdateParams, options?: RequestOptions): APIPromise<TherapistResponse> {
    return this._client.request(R.update, { params: { therapistId }, body }, options);
  }
}
