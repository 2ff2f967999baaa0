import { randomBytes } from 'node:crypto';
import type { DataKeyService } from '../data-keys.js';

/** Associated data of an endpoint's secret: the table, the column and the endpoint id. */
export function webhookSecretContext(endpointId: string): string {
  return `webhook_endpoints.secret_ciphertext:${endpointId}`;
}

/**
 * Endpoint signing secrets: generated as `whsec_` + base64 of 32 random bytes (the Standard
 * Webhooks form; the legacy scheme keys its HMAC with the same string) and kept encrypted with
 * the active data key, bound to the endpoint id (DESIGN §4.9).
 */
export class WebhookSecrets {
  constructor(private readonly dataKeys: DataKeyService) {}

  /** A new secret. */
  generate(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  /**
   * Loads the data keys. Call it before a transaction that seals: loading may query the
   * database, which on the single-connection embedded database would wait for that very
   * transaction to finish.
   */
  async ready(): Promise<void> {
    await this.dataKeys.ring();
  }

  /** Encrypts `secret` for storage on endpoint `endpointId`. */
  async seal(secret: string, endpointId: string): Promise<string> {
    return (await this.dataKeys.ring()).encrypt(secret, webhookSecretContext(endpointId));
  }

  /** The secret stored on endpoint `endpointId`. */
  async open(ciphertext: string, endpointId: string): Promise<string> {
    return (await this.dataKeys.ring()).decrypt(ciphertext, webhookSecretContext(endpointId));
  }
}
