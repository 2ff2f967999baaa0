import type { CareOSCore } from '../../core/core.js';
import { APIResource } from '../../core/resource.js';
import { AdminAudit } from './audit.js';
import { AdminIntegration } from './integration/integration.js';
import { AdminIntegrations } from './integrations.js';
import { AdminLeads } from './leads.js';
import { AdminLookup } from './lookup/lookup.js';
import { AdminMessages } from './messages.js';
import { AdminPartners } from './partners.js';
import { AdminPayments } from './payments.js';
import { AdminPayouts } from './payouts.js';
import { AdminSettings } from './settings.js';
import { AdminWebhooks } from './webhooks/webhooks.js';

/** Operations and admin endpoints; needs `staffToken` or `staffEmail`/`staffPassword`. */
export class Admin extends APIResource {
  /** Route of each method (none: see the sub-resources). */
  static readonly routes = {} as const;
  /** Lead partners and their API keys. */
  readonly partners: AdminPartners;
  /** Every partner's leads. */
  readonly leads: AdminLeads;
  /** Outbound SMS and email. */
  readonly messages: AdminMessages;
  /** Payment runs. */
  readonly payments: AdminPayments;
  /** Payouts made. */
  readonly payouts: AdminPayouts;
  /** The therapist-integration API: partners, therapists, consent links and sandbox records. */
  readonly integration: AdminIntegration;
  /** Webhook endpoints, deliveries, and the sandbox trigger. */
  readonly webhooks: AdminWebhooks;
  /** The CCaaS lookup: API keys and sandbox cases. */
  readonly lookup: AdminLookup;
  /** The audit trail and a check of its hash chain. */
  readonly audit: AdminAudit;
  /** The business settings (time zone). */
  readonly settings: AdminSettings;
  /** The third-party integration self-test. */
  readonly integrations: AdminIntegrations;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.partners = new AdminPartners(client);
    this.leads = new AdminLeads(client);
    this.messages = new AdminMessages(client);
    this.payments = new AdminPayments(client);
    this.payouts = new AdminPayouts(client);
    this.integration = new AdminIntegration(client);
    this.webhooks = new AdminWebhooks(client);
    this.lookup = new AdminLookup(client);
    this.audit = new AdminAudit(client);
    this.settings = new AdminSettings(client);
    this.integrations = new AdminIntegrations(client);
  }
}
