import { z } from 'zod';

/** `GET /api/keys/public`: the key partners encrypt phones with, and its id. */
export const PublicKeyResponse = z
  .object({
    key_id: z.string().regex(/^[0-9a-f]{16}$/).describe('First 16 hex chars of SHA-256 over the public key DER (SPKI); send it as X-CareOS-Key-Id'),
    algorithm: z.literal('RSA-OAEP-256').describe('RSA-OAEP with SHA-256 (and MGF1-SHA-256)'),
    public_key: z.string().describe('PEM-encoded SPKI public key'),
  })
  .meta({ id: 'PublicKey' });

/** Parsed public-key response. */
export type PublicKeyResponse = z.infer<typeof PublicKeyResponse>;
