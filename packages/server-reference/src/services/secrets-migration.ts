import { sql } from 'drizzle-orm';
import type { DataKeyRing } from '../crypto/data-key-ring.js';
import { DataKey, LEGACY_DATA_KEY_SETTING } from '../crypto/data-key.js';
import type { ServiceContext } from './context.js';
import { settingContext, type SettingsService } from './settings.js';
import { webhookSecretContext } from './webhooks/secrets.js';

/** What {@link encryptLegacySecrets} changed. */
export interface LegacySecretsResult {
  /** `settings` rows that were stored in clear and are now encrypted. */
  settings: number;
  /** Webhook secrets re-encrypted from the old data key to the data keys. */
  webhookSecrets: number;
}

/** How earlier versions bound a webhook secret to its endpoint. */
function legacyWebhookContext(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

/**
 * Brings a database written before encryption at rest up to date, at every start (a no-op once
 * done): `settings` rows stored in clear are encrypted under the active data key, and webhook
 * secrets encrypted directly with the old data key (`CAREOS_DATA_KEY`, or the `data_key` row
 * earlier versions generated) are re-encrypted under the data keys, after which that row is
 * deleted. Each update is guarded by the old value, so instances starting together cannot
 * overwrite each other's work. The tables touched are then rewritten (`VACUUM FULL`) so the old
 * clear values do not linger in dead rows.
 *
 * @throws when a webhook secret is encrypted with a key this server does not have.
 */
export async function encryptLegacySecrets(ctx: ServiceContext, ring: DataKeyRing, settings: SettingsService): Promise<LegacySecretsResult> {
  const { db } = ctx;
  const now = ctx.clock.now().toISOString();
  let settingsDone = 0;
  const plain = await db.rows<{ key: string; value: string }>(sql`select key, value from settings where key_id is null`);
  for (const row of plain) {
    const sealed = ring.encrypt(row.value, settingContext(row.key));
    const updated = await db.rows(sql`
      update settings set value = ${sealed}, key_id = ${ring.active.id}, updated_at = ${now}::timestamptz
       where key = ${row.key} and key_id is null returning key`);
    settingsDone += updated.length;
  }

  let webhooksDone = 0;
  // Read before the endpoints: another instance deletes this row only after migrating them all.
  const storedLegacyKey = await settings.get(LEGACY_DATA_KEY_SETTING);
  const endpoints = await db.rows<{ id: string; secret_ciphertext: string }>(sql`select id, secret_ciphertext from webhook_endpoints`);
  const legacy = endpoints.filter((e) => !ring.owns(e.secret_ciphertext));
  if (legacy.length > 0) {
    const candidates = [ctx.config.legacyDataKey ? new DataKey(ctx.config.legacyDataKey) : null, storedLegacyKey ? DataKey.fromBase64(storedLegacyKey) : null].filter((k): k is DataKey => k !== null);
    for (const endpoint of legacy) {
      const keyId = DataKey.keyIdOf(endpoint.secret_ciphertext);
      const key = candidates.find((k) => k.id === keyId);
      if (!key) {
        throw new Error(
          `The secret of webhook endpoint ${endpoint.id} is encrypted with data key ${keyId ?? '(unknown format)'}, which this server does not have: set CAREOS_DATA_KEY to the key the previous version ran with`,
        );
      }
      const secret = key.decrypt(endpoint.secret_ciphertext, legacyWebhookContext(endpoint.id));
      const sealed = ring.encrypt(secret, webhookSecretContext(endpoint.id));
      const updated = await db.rows(sql`
        update webhook_endpoints set secret_ciphertext = ${sealed}
         where id = ${endpoint.id} and secret_ciphertext = ${endpoint.secret_ciphertext} returning id`);
      webhooksDone += updated.length;
    }
  }
  // Every secret it encrypted is now under the data keys: the old key has nothing left to open.
  if (storedLegacyKey !== null) await db.rows(sql`delete from settings where key = ${LEGACY_DATA_KEY_SETTING}`);

  if (settingsDone > 0 || webhooksDone > 0 || storedLegacyKey !== null) {
    try {
      await db.rows(sql`vacuum full settings`);
      if (webhooksDone > 0) await db.rows(sql`vacuum full webhook_endpoints`);
    } catch (error) {
      ctx.logger.warn({ err_message: (error as Error).message }, 'could not rewrite the tables whose secrets were just encrypted; old clear values may remain in dead rows until the next vacuum');
    }
    ctx.logger.info({ settings: settingsDone, webhook_secrets: webhooksDone }, 'secrets stored by an earlier version are now encrypted at rest');
  }
  return { settings: settingsDone, webhookSecrets: webhooksDone };
}
