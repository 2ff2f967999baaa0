import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import type { Providers } from '../providers/types.js';
import type { FieldCrypto } from './field-crypto.js';

/** What every service gets: plain dependencies, nothing about HTTP. */
export interface ServiceContext {
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: ServerConfig;
  readonly providers: Providers;
  /** Id of this app instance (several may share one database). */
  readonly instanceId: string;
  /** PHI field encryption and blind indexes (keys loaded at start, then used synchronously). */
  readonly phi: FieldCrypto;
}
