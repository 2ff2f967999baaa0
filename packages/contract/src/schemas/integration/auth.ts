import { z } from 'zod';
import { ErrorText } from '../../errors.js';

const credential = z
  .string({ error: ErrorText.integrationCredentialsRequired })
  .trim()
  .min(1, { error: ErrorText.integrationCredentialsRequired })
  .max(512);

/** Body of `POST /api/integration/auth`: the partner's key and secret, and the therapist to act for. */
export const IntegrationAuthRequest = z
  .object({
    apiKey: credential.describe('Integration API key, e.g. int_live_…'),
    apiSecret: credential.describe('Integration API secret (shown once, when the key was issued)'),
    therapistId: z.string().trim().min(1).max(128).describe('The therapist the token acts for'),
  })
  .meta({ id: 'IntegrationAuthRequest' });
/** Parsed integration auth request. */
export type IntegrationAuthRequest = z.infer<typeof IntegrationAuthRequest>;

/** A one-hour bearer token for the integration endpoints (seed §1). */
export const IntegrationAuthResponse = z
  .object({
    token: z.string().describe('HS256 JWT; send as Authorization: Bearer <token>'),
    expiresIn: z.number().int().describe('Seconds until the token expires (3600)'),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'IntegrationAuthResponse' });
/** Parsed integration auth response. */
export type IntegrationAuthResponse = z.infer<typeof IntegrationAuthResponse>;
