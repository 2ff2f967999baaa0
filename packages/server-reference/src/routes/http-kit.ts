import { expressPath } from '@careos/contract';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config.js';
import type { KeyRing } from '../crypto/key-ring.js';
import type { AttemptLimits } from '../http/attempt-limits.js';
import type { ProviderSignatures } from '../http/provider-auth.js';
import type { RateLimits } from '../http/rate-limit.js';
import type { AppServices } from '../services/index.js';

/** What route modules need from the app. */
export interface HttpKit {
  config: ServerConfig;
  logger: Logger;
  services: AppServices;
  rateLimits: RateLimits;
  /** Brute-force limits on login and on integration secrets. */
  attemptLimits: AttemptLimits;
  /** The key ring (loaded at start). */
  keys(): KeyRing;
  expressPath: typeof expressPath;
  /** Verifies Twilio's and SendGrid's signatures on the routes they call. */
  providerSignatures: ProviderSignatures;
}
