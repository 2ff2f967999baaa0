import type { CareOSCore } from '../../core/core.js';
import { APIResource } from '../../core/resource.js';
import { PartnerPayments } from './payments.js';
import { PartnerWebhooks } from './webhooks.js';

/** Your account as a lead partner. */
export class PartnerResource extends APIResource {
  /** Route of each method (none: see the sub-resources). */
  static readonly routes = {} as const;
  /** Payments CareOS owes you. */
  readonly payments: PartnerPayments;
  /** Your webhook endpoints (`payment.paid`). */
  readonly webhooks: PartnerWebhooks;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.payments = new PartnerPayments(client);
    this.webhooks = new PartnerWebhooks(client);
  }
}
