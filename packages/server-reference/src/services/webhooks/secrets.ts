import { randomBytes } from 'node:crypto';
import { DATA_KEY_SETTING, DataKey } from '../../crypto/data-key.js';
import type { ServiceContext } from '../context.js';
import type { SettingsService } from '../settings.js';

/**
 * Endpoint signing secrets: generated as `whsec_` + base64 of 32 random bytes (the Standard
 * Webhooks form; the legacy scheme keys its HMAC with the same string) and kept encrypted with
 * the server's data key, bound to the endpoint id.
 */
export class WebhookSecrets {
  #key: Promise<DataKey> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {}

  /** A new secret. */
  generate(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  /**
   * Loads the data key. Call it before a transaction that seals: loading may query the
   * database, which on the single-connection embedded database would wait for that very
   * transaction to finish.
   */
  async ready(): Promise<void> {
    await this.#dataKey();
  }

  /** Encrypts `secret` for storage on endpoint `endpointId`. */
  async seal(secret: string, endpointId: string): Promise<string> {
    return (await this.#dataKey()).encrypt(secret, `webhook_endpoint:${endpointId}`);
  }

  /** The secret stored on endpoint `endpointId`. */
  async open(ciphertext: string, endpointId: string): Promise<string> {
    return (await this.#dataKey()).decrypt(ciphertext, `webhook_endpoint:${endpointId}`);
  }

  /** `CAREOS_DATA_KEY`, else a key generated once and shared through the database by every instance. */
  #dataKey(): Promise<DataKey> {
    this.#key ??= (async () => {
      if (this.ctx.config.dataKey) return new DataKey(this.ctx.config.dataKey);
      const key = DataKey.fromBase64(await this.settings.getOrCreate(DATA_KEY_SETTING, () => DataKey.generate().toBase64()));
      this.ctx.logger.warn(
        { data_key_id: key.id },
        'CAREOS_DATA_KEY is not set: webhook secrets are encrypted with a key kept in the database itself. Set CAREOS_DATA_KEY in production.',
      );
      return key;
    })().catch((error: unknown) => {
      this.#key = null;
      throw error;
    });
    return this.#key;
  }
}
