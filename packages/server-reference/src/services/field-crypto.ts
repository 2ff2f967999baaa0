import { BlindIndex } from '../crypto/blind-index.js';
import { DataKey } from '../crypto/data-key.js';
import { FieldCipher } from '../crypto/field-cipher.js';
import type { Logger } from 'pino';
import { SettingKey, type SettingsService } from './settings.js';

/** The stored form of the field-encryption keys; every key stays so old values still open. */
interface StoredFieldKeys {
  current: string;
  keys: Record<string, string>;
}

/** The stored form of the blind-index key. */
interface StoredBlindIndexKey {
  id: string;
  key: string;
}

/**
 * The PHI keys of an app instance: the field cipher and the blind index, generated once and
 * shared by every instance through `settings` (which protects its values at rest), loaded once
 * at start and then used synchronously on hot paths.
 */
export class FieldCrypto {
  #cipher: FieldCipher | null = null;
  #blind: BlindIndex | null = null;

  constructor(private readonly logger: Logger) {}

  /** Loads the keys, generating and storing them on first start. */
  async load(settings: SettingsService): Promise<void> {
    const fieldKeys = JSON.parse(
      await settings.getOrCreate(SettingKey.fieldKeys, () => {
        const key = DataKey.generate();
        return JSON.stringify({ current: key.id, keys: { [key.id]: key.toBase64() } } satisfies StoredFieldKeys);
      }),
    ) as StoredFieldKeys;
    const keys = Object.values(fieldKeys.keys).map((value) => DataKey.fromBase64(value));
    const current = keys.find((key) => key.id === fieldKeys.current);
    if (!current) throw new Error(`The stored field-encryption keys do not include their current key ${fieldKeys.current}`);
    const blindKey = JSON.parse(
      await settings.getOrCreate(SettingKey.blindIndexKey, () => {
        const key = BlindIndex.generate();
        return JSON.stringify({ id: key.id, key: key.toBase64() } satisfies StoredBlindIndexKey);
      }),
    ) as StoredBlindIndexKey;
    const blind = BlindIndex.fromBase64(blindKey.key);
    if (blind.id !== blindKey.id) throw new Error(`The stored blind-index key does not match its id ${blindKey.id}`);
    this.#cipher = new FieldCipher(current, keys);
    this.#blind = blind;
    this.logger.debug({ field_key_id: current.id, blind_index_key_id: blind.id }, 'PHI keys loaded');
  }

  /** Encrypts and decrypts PHI fields. */
  get cipher(): FieldCipher {
    if (!this.#cipher) throw new Error('The PHI keys are not loaded yet (await app.ready())');
    return this.#cipher;
  }

  /** Blind-index tokens for equality look-ups. */
  get blind(): BlindIndex {
    if (!this.#blind) throw new Error('The PHI keys are not loaded yet (await app.ready())');
    return this.#blind;
  }
}
