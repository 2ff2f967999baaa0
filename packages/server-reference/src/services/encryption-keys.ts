import { createPrivateKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { KeyRing } from '../crypto/key-ring.js';
import type { ServiceContext } from './context.js';
import { SettingKey, type SettingsService } from './settings.js';

const generate = promisify(generateKeyPair);

/**
 * Builds the phone-decryption key ring: the keys from the environment, or — when none is
 * configured — a development key pair generated once and kept in the database, so the key
 * id partners see stays stable across restarts.
 */
export async function loadKeyRing(ctx: ServiceContext, settings: SettingsService): Promise<KeyRing> {
  const { privateKey, previousPrivateKey } = ctx.config.encryption;
  if (privateKey) return new KeyRing(privateKey, previousPrivateKey);
  const pem = await settings.getOrCreate(SettingKey.devPrivateKey, async () => {
    const pair = await generate('rsa', { modulusLength: 2048 });
    return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  });
  const ring = new KeyRing(createPrivateKey(pem));
  ctx.logger.warn(
    { key_id: ring.current.id },
    'CAREOS_PRIVATE_KEY is not set: using a development key pair stored in the database. Set CAREOS_PRIVATE_KEY (and CAREOS_PUBLIC_KEY) in production.',
  );
  return ring;
}
