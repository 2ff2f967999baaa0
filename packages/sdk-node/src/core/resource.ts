import type { RouteSpec } from '@careos/contract';
import type { CareOSCore } from './core.js';

/** Method name → contract route, declared by every resource; the API map is generated from it. */
export type ResourceRoutes = Readonly<Record<string, RouteSpec>>;

/**
 * Base of every resource class. A resource holds no logic: each method names its route
 * (from the resource's static `routes`) and hands the caller's input to the core.
 */
export abstract class APIResource {
  /**
   * The core that performs every request.
   * @internal
   */
  protected readonly _client: CareOSCore;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    this._client = client;
  }
}
