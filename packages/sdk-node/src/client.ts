import { CareOSCore } from './core/core.js';
import type { ClientOptions } from './core/options.js';
import { Admin } from './resources/admin/admin.js';
import { Auth } from './resources/auth.js';
import { Health } from './resources/health.js';
import { Keys } from './resources/keys.js';
import { Leads } from './resources/leads.js';
import { PartnerResource } from './resources/partner/partner.js';

/**
 * The CareOS API client. One instance holds a keep-alive connection pool: create it once,
 * share it, and `close()` it (or `await using` it) when done.
 *
 * @example
 * ```ts
 * const client = new CareOS(); // reads CAREOS_API_KEY, CAREOS_PLATFORM, CAREOS_PUBLIC_KEY, PHONE_HASH_SALT
 * const { careos_lead_id } = await client.leads.ingest({ phone: '+14155550100', ... });
 * ```
 */
export class CareOS {
  /** Send leads and read them back (partner API key). */
  readonly leads: Leads;
  /** Your partner account: payments (partner API key). */
  readonly partner: PartnerResource;
  /** The phone-encryption public key (no auth). */
  readonly keys: Keys;
  /** Service health (no auth). */
  readonly health: Health;
  /** Staff sign-in. */
  readonly auth: Auth;
  /** Admin and operations endpoints (staff token). */
  readonly admin: Admin;
  readonly #core: CareOSCore;

  /**
   * @param options every option is optional; omitted ones come from `CAREOS_*` env vars or defaults
   * @throws {@link CareOSError} when an option is malformed (e.g. a `baseURL` that is not a URL)
   */
  constructor(options?: ClientOptions) {
    const core = new CareOSCore(options);
    this.#core = core;
    this.leads = new Leads(core);
    this.partner = new PartnerResource(core);
    this.keys = new Keys(core);
    this.health = new Health(core);
    this.auth = new Auth(core);
    this.admin = new Admin(core);
  }

  /** The base URL requests go to. */
  get baseURL(): string {
    return this.#core.options.baseURL;
  }

  /**
   * Closes the client's connection pool (a `dispatcher` you passed in stays open). Calls made
   * afterwards reject with a {@link CareOSError}.
   */
  close(): Promise<void> {
    return this.#core.close();
  }

  /** `await using client = new CareOS()` closes the client at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
