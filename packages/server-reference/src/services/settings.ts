import { eq } from 'drizzle-orm';
import { settings } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';
import type { DataKeyService } from './data-keys.js';

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
  /** Key from which the sandbox calendar's client secret is derived (see `calendar-sandbox/site.ts`). */
  sandboxCalendarKey: 'sandbox_calendar_key',
} as const;

/** Associated data of a setting's value: the table, the column and the setting's key. */
export function settingContext(key: string): string {
  return `settings.value:${key}`;
}

/**
 * Server-wide values that must survive restarts and be shared by instances. Every value is
 * stored encrypted with the active data key (DESIGN §4.9) and bound to its key, so whatever a
 * service keeps here (signing secrets, private keys, other services' keys) is protected at rest
 * without that service doing anything, and a value moved onto another key does not decrypt.
 */
export class SettingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly dataKeys: DataKeyService,
  ) {}

  /** The stored value, or `null`. */
  async get(key: string): Promise<string | null> {
    const ring = await this.dataKeys.ring();
    const rows = await this.ctx.db.orm.select({ value: settings.value, keyId: settings.keyId }).from(settings).where(eq(settings.key, key));
    const row = rows[0];
    if (!row) return null;
    // Rows written before encryption at rest are encrypted at start (see encryptLegacySecrets);
    // a plain value appearing later was not written by this server and is not trusted.
    if (row.keyId === null) throw new Error(`The setting ${key} is stored unencrypted; restart the server to encrypt it`);
    return ring.decrypt(row.value, settingContext(key));
  }

  /**
   * The stored value, creating it first when absent. Concurrent starts agree on one value:
   * the insert does nothing if another instance won the race, and everyone reads back the winner.
   */
  async getOrCreate(key: string, create: () => string | Promise<string>): Promise<string> {
    const existing = await this.get(key);
    if (existing !== null) return existing;
    const value = await create();
    const ring = await this.dataKeys.ring();
    const sealed = ring.encrypt(value, settingContext(key));
    await this.ctx.db.orm.insert(settings).values({ key, value: sealed, keyId: ring.active.id, updatedAt: this.ctx.clock.now() }).onConflictDoNothing();
    return (await this.get(key)) ?? value;
  }

  /** Stores a value, replacing any previous one. */
  async set(key: string, value: string): Promise<void> {
    const ring = await this.dataKeys.ring();
    const sealed = ring.encrypt(value, settingContext(key));
    const updatedAt = this.ctx.clock.now();
    await this.ctx.db.orm
      .insert(settings)
      .values({ key, value: sealed, keyId: ring.active.id, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value: sealed, keyId: ring.active.id, updatedAt } });
  }
}
