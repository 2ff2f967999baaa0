import type { CareOSCore } from '../../core/core.js';
import { APIResource } from '../../core/resource.js';
import { PartnerPayments } from './payments.js';

/** Your account as a lead partner. */
export class PartnerResource extends APIResource {
  /** Route of each method (none: see the sub-resources). */
  static readonly routes = {} as const;
  /** Payments CareOS owes you. */
  readonly payments: PartnerPayments;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.payments = new PartnerPayments(client);
  }
}
