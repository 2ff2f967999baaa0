import { routes, type BusinessSettings, type RouteBody } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { retrieve: routes.getBusinessSettings, update: routes.updateBusinessSettings } as const;

/** Body of `admin.settings.update()`: `time_zone` (IANA). */
export type BusinessSettingsUpdateParams = RouteBody<typeof routes.updateBusinessSettings>;

/** The business settings: its time zone, in which booking messages give local times. */
export class AdminSettings extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** The settings (staff or admin). */
  retrieve(options?: RequestOptions): APIPromise<BusinessSettings> {
    return this._client.request(R.retrieve, undefined, options);
  }

  /** Changes them (admin). */
  update(body: BusinessSettingsUpdateParams, options?: RequestOptions): APIPromise<BusinessSettings> {
    return this._client.request(R.update, { body }, options);
  }
}
