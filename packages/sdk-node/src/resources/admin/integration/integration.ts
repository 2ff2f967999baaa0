import type { CareOSCore } from '../../../core/core.js';
import { APIResource } from '../../../core/resource.js';
import { AdminIntegrationAlerts } from './alerts.js';
import { AdminIntegrationClients } from './clients.js';
import { AdminIntegrationCouples } from './couples.js';
import { AdminIntegrationLinks } from './links.js';
import { AdminIntegrationPartners } from './partners.js';
import { AdminIntegrationTherapists } from './therapists.js';

/** Administration and sandbox control of the therapist-integration API. Admin role. */
export class AdminIntegration extends APIResource {
  /** Route of each method (none: see the sub-resources). */
  static readonly routes = {} as const;
  /** Integration partners and their keys. */
  readonly partners: AdminIntegrationPartners;
  /** Therapists. */
  readonly therapists: AdminIntegrationTherapists;
  /** Clients (sandbox). */
  readonly clients: AdminIntegrationClients;
  /** Couples (sandbox). */
  readonly couples: AdminIntegrationCouples;
  /** Therapist-client links: consent and permission level. */
  readonly links: AdminIntegrationLinks;
  /** Alerts about clients (sandbox). */
  readonly alerts: AdminIntegrationAlerts;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.partners = new AdminIntegrationPartners(client);
    this.therapists = new AdminIntegrationTherapists(client);
    this.clients = new AdminIntegrationClients(client);
    this.couples = new AdminIntegrationCouples(client);
    this.links = new AdminIntegrationLinks(client);
    this.alerts = new AdminIntegrationAlerts(client);
  }
}
