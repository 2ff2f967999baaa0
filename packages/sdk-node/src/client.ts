import { CareOSCore } from './core/core.js';
import type { ClientOptions } from './core/options.js';
import { LookupClient } from './lookup-client.js';
import { lookupTransport, resolveCacheSettings, type LookupClientOptions } from './lookup/options.js';
import { Admin } from './resources/admin/admin.js';
import { Alerts } from './resources/alerts.js';
import { Auth } from './resources/auth.js';
import { Bookings } from './resources/bookings.js';
import { Contacts } from './resources/contacts.js';
import { Dashboard } from './resources/dashboard.js';
import { Health } from './resources/health.js';
import { Inventory } from './resources/inventory.js';
import { Messages } from './resources/messages.js';
import { Comms } from './resources/comms.js';
import { Calendar } from './resources/calendar.js';
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
  /** Supplies in stock (staff token; changes take the admin role). */
  readonly inventory: Inventory;
  /** Operations alerts: list, count, dismiss (staff token). */
  readonly alerts: Alerts;
  /** Care operations: contacts (staff token; deleting needs the admin role). */
  readonly contacts: Contacts;
  /** Business metrics at a glance (staff token). */
  readonly dashboard: Dashboard;
  /** Care operations: bookings (staff token). */
  readonly bookings: Bookings;
  /** The conversation with a contact: staff replies and inbound messages (staff token). */
  readonly messages: Messages;
  /** SMS and email to clients: single, template and bulk sends, status, a client's log (staff token). */
  readonly comms: Comms;
  /** Your Google, Microsoft and sandbox calendars: connect URL, list, disconnect, and their events (`events.list()`, `events.create()`) (staff token). */
  readonly calendar: Calendar;
  readonly #core: CareOSCore;
  readonly #lookupOptions: LookupClientOptions;
  #lookup: LookupClient<boolean> | undefined;
  #closed = false;

  /**
   * @param options every option is optional; omitted ones come from `CAREOS_*` env vars or defaults
   * @throws {@link CareOSError} when an option is malformed (e.g. a `baseURL` that is not a URL)
   */
  constructor(options: ClientOptions = {}) {
    const core = new CareOSCore(options);
    this.#core = core;
    this.#lookupOptions = lookupClientOptions(options);
    this.leads = new Leads(core);
    this.partner = new PartnerResource(core);
    this.keys = new Keys(core);
    this.health = new Health(core);
    this.auth = new Auth(core);
    this.admin = new Admin(core);
    this.inventory = new Inventory(core);
    this.alerts = new Alerts(core);
    this.contacts = new Contacts(core);
    this.dashboard = new Dashboard(core);
    this.bookings = new Bookings(core);
    this.messages = new Messages(core);
    this.comms = new Comms(core);
    this.calendar = new Calendar(core);
  }

  /** The base URL requests go to. */
  get baseURL(): string {
    return this.#core.options.baseURL;
  }

  /**
   * The CCaaS screen-pop {@link LookupClient}, authenticated with `lookupApiKey`
   * (`CAREOS_LOOKUP_API_KEY`) and configured by the `lookup` option; it shares this client's base
   * URL, environment, logger, hooks, headers and `dispatcher`, not its timeouts and retries.
   * Created on first use, with its own cache and connection pool, and closed by `close()`.
   */
  get lookup(): LookupClient<boolean> {
    if (this.#lookup === undefined) {
      this.#lookup = new LookupClient(this.#lookupOptions);
      // First used after close(): closed at once, so that it answers CLIENT_ERROR like every other call and holds no pool.
      if (this.#closed) void this.#lookup.close();
    }
    return this.#lookup;
  }

  /**
   * Closes the client's connection pool (a `dispatcher` you passed in stays open), and the
   * lookup client's. Calls made afterwards reject with a {@link CareOSError}.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#core.close(), this.#lookup?.close()]);
  }

  /** `await using client = new CareOS()` closes the client at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The options of `client.lookup`: the client's transport settings (not its timeouts and
 * retries), the lookup key, and the `lookup` behaviour. Built, and so validated, with the client.
 */
function lookupClientOptions(options: ClientOptions): LookupClientOptions {
  const {
    apiKey: _apiKey,
    platform: _platform,
    publicKey: _publicKey,
    phoneHashSalt: _salt,
    staffToken: _token,
    staffEmail: _email,
    staffPassword: _password,
    timeout: _timeout,
    deadline: _deadline,
    maxRetries: _maxRetries,
    retryBaseDelay: _retryBaseDelay,
    retryMaxDelay: _retryMaxDelay,
    lookupApiKey,
    lookup,
    ...shared
  } = options;
  const lookupOptions: LookupClientOptions = { ...shared, ...lookup, apiKey: lookupApiKey };
  // Fail at construction, like every other option, rather than on first use of `client.lookup`.
  resolveCacheSettings(lookupOptions.cache);
  lookupTransport(lookupOptions);
  return lookupOptions;
}
