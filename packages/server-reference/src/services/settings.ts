import { eq } from 'drizzle-orm';
import { settings } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';

/** Keys of the `settings` table. */
export const SettingKey = {
  jwtSecret: 'jwt_secret',
  integrationJwtSecret: 'integration_jwt_secret',
  demoIntegration: 'demo_integration',
  devPrivateKey: 'dev_private_key_pem',
  demoCredentials: 'demo_credentials',
  demoLookup: 'demo_lookup',
  /** PHI field-encryption keys: `{ current, keys: { <id>: <base64> } }`. */
  fieldKeys: 'field_keys',
  /** Blind-index (HMAC) key: `{ id, key: <base64> }`. */
  blindIndexKey: 'blind_index_key',
  /** Set once the plaintext PHI of earlier versions has been encrypted (see `phi-migration.ts`). */
  phiConverted: 'phi_plaintext_converted',
} as const;

/** Server-wide values that must survive restarts and be shared by instances. */
export class SettingsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The stored value, or `null`. */
  async get(key: string): Promise<string | null> {
    const rows = await this.ctx.db.orm.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    return rows[0]?.value ?? null;
  }

  /**
   * The stored value, creating it first when absent. Concurrent starts agree on one value:
   * the insert does nothing if another instance won the race, and everyone reads back the winner.
   */
  async getOrCreate(key: string, create: () => string | Promise<string>): Promise<string> {
    const existing = await this.get(key);
    if (existing !== null) return existing;
    const value = await create();
    await this.ctx.db.orm.insert(settings).values({ key, value, updatedAt: this.ctx.clock.now() }).onConflictDoNothing();
    return (await this.get(key)) ?? value;
  }

  /** Stores a value, replacing any previous one. */
  async set(key: string, value: string): Promise<void> {
    const updatedAt = this.ctx.clock.now();
    await this.ctx.db.orm
      .insert(settings)
      .values({ key, value, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt } });
  }
}
