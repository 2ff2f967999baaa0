import type { CareOSCore } from '../../../core/core.js';
import { APIResource } from '../../../core/resource.js';
import { AdminLookupCases } from './cases.js';
import { AdminLookupKeys } from './keys.js';

/** Administration and sandbox control of the CCaaS screen-pop lookup. Admin role. */
export class AdminLookup extends APIResource {
  /** Route of each method (none: see the sub-resources). */
  static readonly routes = {} as const;
  /** Lookup API keys for contact centres. */
  readonly keys: AdminLookupKeys;
  /** Patients' cases (sandbox). */
  readonly cases: AdminLookupCases;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.keys = new AdminLookupKeys(client);
    this.cases = new AdminLookupCases(client);
  }
}
