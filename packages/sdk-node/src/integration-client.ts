import { CareOSCore } from './core/core.js';
import type { IntegrationClientOptions } from './core/options.js';
import { IntegrationAlerts } from './resources/integration/alerts.js';
import { IntegrationAuth } from './resources/integration/auth.js';
import { IntegrationClients } from './resources/integration/clients.js';
import { IntegrationCouples } from './resources/integration/couples.js';
import { IntegrationOutcomes } from './resources/integration/outcomes.js';
import { IntegrationWebhooks } from './resources/integration/webhooks.js';

/**
 * The therapist-integration API client: reads a therapist's consented client data and assigns
 * activities, acting for one therapist. It exchanges the API key and secret for a one-hour token
 * by itself, caches it, refreshes it in the background before it expires (one exchange however
 * many calls wait), and on a 401 `TOKEN_EXPIRED` refreshes and replays the call once. Retries,
 * idempotency keys, timeouts, hooks and redacted logging work as in {@link CareOS}.
 *
 * One instance holds a keep-alive connection pool: create one per therapist and share it (pass
 * the same `dispatcher` to share a pool across therapists), and `close()` it when done.
 *
 * @example
 * ```ts
 * // reads CAREOS_INTEGRATION_API_KEY, CAREOS_INTEGRATION_API_SECRET, CAREOS_THERAPIST_ID, CAREOS_API_URL
 * const integration = new CareOSIntegration();
 * const { clients } = await integration.clients.list();
 * for await (const alert of integration.alerts.list({ unreadOnly: true })) console.log(alert.severity, alert.message);
 * ```
 */
export class CareOSIntegration {
  /** The token exchange, for when you need the raw token. */
  readonly auth: IntegrationAuth;
  /** Consented clients: list, progress, session prep, assign. */
  readonly clients: IntegrationClients;
  /** Couple dynamics. */
  readonly couples: IntegrationCouples;
  /** Crisis, risk, milestone and stagnation alerts. */
  readonly alerts: IntegrationAlerts;
  /** Caseload-wide outcomes. */
  readonly outcomes: IntegrationOutcomes;
  /** Webhook registration for real-time alerts. */
  readonly webhooks: IntegrationWebhooks;
  readonly #core: CareOSCore;

  /**
   * @param options every option is optional; omitted credentials come from `CAREOS_INTEGRATION_API_KEY`,
   * `CAREOS_INTEGRATION_API_SECRET` and `CAREOS_THERAPIST_ID`, the rest as for `new CareOS()`
   * @throws {@link CareOSError} when an option is malformed (e.g. a `baseURL` that is not a URL)
   */
  constructor(options: IntegrationClientOptions = {}) {
    const { apiKey, apiSecret, therapistId, ...transport } = options;
    const core = new CareOSCore(transport, { apiKey, apiSecret, therapistId });
    this.#core = core;
    this.auth = new IntegrationAuth(core);
    this.clients = new IntegrationClients(core);
    this.couples = new IntegrationCouples(core);
    this.alerts = new IntegrationAlerts(core);
    this.outcomes = new IntegrationOutcomes(core);
    this.webhooks = new IntegrationWebhooks(core);
  }

  /** The base URL requests go to. */
  get baseURL(): string {
    return this.#core.options.baseURL;
  }

  /** The therapist this client acts for, if configured. */
  get therapistId(): string | undefined {
    return this.#core.options.integration?.therapistId;
  }

  /**
   * Closes the client's connection pool (a `dispatcher` you passed in stays open). Calls made
   * afterwards reject with a {@link CareOSError}.
   */
  close(): Promise<void> {
    return this.#core.close();
  }

  /** `await using integration = new CareOSIntegration()` closes the client at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
