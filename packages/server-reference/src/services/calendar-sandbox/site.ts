import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from '../../crypto/same-secret.js';
import type { ServiceContext } from '../context.js';
import { SettingKey, type SettingsService } from '../settings.js';

/** Where the sandbox's authorization server lives, below the server's base URL. */
export const SANDBOX_OAUTH_PATH = '/sandbox/calendar/oauth';
/** Where its Google Calendar API v3-shaped API lives: `<base>/sandbox/calendar/api/calendar/v3/calendars/primary/events`. */
export const SANDBOX_API_PATH = '/sandbox/calendar/api/calendar/v3';
/** The one scope the sandbox grants: read and write the calendar (as Google's `…/auth/calendar`). */
export const SANDBOX_SCOPE = 'calendar';

/** The sandbox's one registered client: the reference server's own calendar connection. */
export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Shown on the consent page. */
  name: string;
}

/** The sandbox's endpoints, for the OAuth client (oauth4webapi) and for the event sync. */
export interface SandboxEndpoints {
  /** The issuer identifier, also sent as `iss` on the redirect (RFC 9207). */
  issuer: string;
  authorization: string;
  token: string;
  revocation: string;
  /** Base URL of the events API, as Google's `https://www.googleapis.com/calendar/v3`. */
  calendarApi: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The sandbox calendar provider's place in this deployment: whether it is on, the base URL it is
 * reached at (`CAREOS_PUBLIC_URL`, else the address this instance listens at), and the one client
 * registered with it, whose id, secret and redirect URI derive from that URL. The secret is an
 * HMAC under a key kept in `settings`, so every instance sharing the database derives the same
 * credentials and nobody without the key can.
 */
export class SandboxCalendarSite {
  #listeningUrl: string | null = null;
  #key: Promise<Buffer> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {}

  /** Whether the sandbox is served (`CAREOS_CALENDAR_SANDBOX`, or `--seed demo`). */
  get enabled(): boolean {
    return this.ctx.config.integrations.calendarSandbox;
  }

  /** Records the URL this instance listens at (used when `CAREOS_PUBLIC_URL` is not set). */
  listeningAt(url: string): void {
    this.#listeningUrl = url.replace(/\/+$/, '');
  }

  /** The base URL the sandbox is reached at, or `null` when neither is known yet. */
  baseUrl(): string | null {
    return this.ctx.config.integrations.publicUrl?.replace(/\/+$/, '') ?? this.#listeningUrl;
  }

  /** The sandbox's endpoints, or `null` when it is off or its address is unknown. */
  endpoints(): SandboxEndpoints | null {
    const base = this.enabled ? this.baseUrl() : null;
    if (!base) return null;
    const issuer = `${base}${SANDBOX_OAUTH_PATH}`;
    return { issuer, authorization: `${issuer}/authorize`, token: `${issuer}/token`, revocation: `${issuer}/revoke`, calendarApi: `${base}${SANDBOX_API_PATH}` };
  }

  /** The registered client, or `null` when the sandbox is off or its address is unknown. */
  async client(): Promise<SandboxClient | null> {
    const base = this.enabled ? this.baseUrl() : null;
    if (!base) return null;
    const key = await this.#secretKey();
    return {
      clientId: `careos-sandbox-${sha256(base).slice(0, 16)}`,
      clientSecret: createHmac('sha256', key).update(`sandbox calendar client secret\0${base}`).digest('base64url'),
      redirectUri: `${base}/calendar/sandbox/callback`,
      name: 'CareOS',
    };
  }

  /** Whether `id` and `secret` are the registered client's (constant-time on the secret). */
  async authenticates(id: string, secret: string): Promise<boolean> {
    const client = await this.client();
    if (!client || id !== client.clientId) return false;
    return sameSecret(secret, client.clientSecret);
  }

  #secretKey(): Promise<Buffer> {
    this.#key ??= this.settings.getOrCreate(SettingKey.sandboxCalendarKey, () => randomBytes(32).toString('base64url')).then((value) => Buffer.from(value, 'base64url'));
    // A failed read is tried again on the next call rather than remembered.
    this.#key.catch(() => (this.#key = null));
    return this.#key;
  }
}
