// The Node (sync) and Web Crypto (async) paths behind one async face, so one suite holds both
// to the same behaviour: same results, same error codes, same messages.
import * as node from '../src/index.js';
import type { HeaderSource, LegacyHeaders, RawPayload, StandardWebhookHeaders, TestHeaderOptions, VerifiedWebhook, VerifyOptions, WebhookTestHeaders } from '../src/index.js';
import * as web from '../src/web.js';

type Secrets = string | readonly string[];

export interface Implementation {
  name: string;
  sign(secret: string, payload: RawPayload, options: { id: string; timestamp?: Date }): Promise<StandardWebhookHeaders>;
  signLegacy(secret: string, payload: RawPayload, options: { event: string; timestamp?: Date }): Promise<LegacyHeaders>;
  verify(payload: RawPayload, headers: HeaderSource, secrets: Secrets, options?: VerifyOptions): Promise<string>;
  verifyLegacy(payload: RawPayload, headers: HeaderSource, secrets: Secrets, options?: VerifyOptions): Promise<string>;
  verifyWebhook<T>(payload: RawPayload, headers: HeaderSource, secrets: Secrets, options?: VerifyOptions): Promise<VerifiedWebhook<T>>;
  createTestHeaders(secret: string, payload: RawPayload, options: TestHeaderOptions): Promise<WebhookTestHeaders>;
}

export const implementations: Implementation[] = [
  {
    name: 'node (sync)',
    sign: async (...args) => node.sign(...args),
    signLegacy: async (...args) => node.signLegacy(...args),
    verify: async (...args) => node.verify(...args),
    verifyLegacy: async (...args) => node.verifyLegacy(...args),
    verifyWebhook: async (...args) => node.verifyWebhook(...args),
    createTestHeaders: async (...args) => node.createTestHeaders(...args),
  },
  {
    name: 'web (async)',
    sign: web.signAsync,
    signLegacy: web.signLegacyAsync,
    verify: web.verifyAsync,
    verifyLegacy: web.verifyLegacyAsync,
    verifyWebhook: web.verifyWebhookAsync,
    createTestHeaders: web.createTestHeadersAsync,
  },
];

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<node.WebhookVerificationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof node.WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError, but verification passed');
}
