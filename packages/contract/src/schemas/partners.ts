import { z } from 'zod';
import { Timestamp, UsdAmount, prefixedId } from '../common.js';

/** Partner platform names: lower-case, used in headers, env var names and API key prefixes. */
export const PlatformName = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,31}$/, 'Must be 2-32 lower-case letters or digits, starting with a letter')
  .meta({ id: 'PlatformName' });

/** API key environments, the `<env>` of `<partner>_<env>_<random>`. */
export const KeyEnvironment = z.enum(['live', 'test']).meta({ id: 'KeyEnvironment' });

/** What is stored about one partner API key (the key itself is shown once, at creation). */
export const ApiKeyInfo = z
  .object({
    id: prefixedId('key'),
    prefix: z.string().describe('First characters of the key, to recognise it'),
    created_at: Timestamp,
    revoked_at: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKeyInfo' });

/** A lead partner such as BusinessOS. */
export const Partner = z
  .object({
    id: prefixedId('ptn'),
    platform: PlatformName,
    name: z.string(),
    status: z.enum(['active', 'suspended']),
    min_payout: z.number().describe('Smallest total (USD) paid out in one run'),
    payout_destination: z.string().nullable().describe('Stripe connected account id, when paid through Stripe'),
    api_keys: z.array(ApiKeyInfo),
    created_at: Timestamp,
  })
  .meta({ id: 'Partner' });

/** A parsed partner. */
export type Partner = z.infer<typeof Partner>;

/** Body of `POST /admin/partners`. */
export const CreatePartnerRequest = z
  .object({
    platform: PlatformName,
    name: z.string().trim().min(1).max(200).optional(),
    environment: KeyEnvironment.default('live'),
    phone_hash_salt: z.string().min(16).max(256).optional().describe('Generated when omitted'),
    min_payout: UsdAmount.optional(),
    payout_destination: z.string().max(255).optional(),
  })
  .meta({ id: 'CreatePartnerRequest' });

/** A new partner with its first key and salt: the only time the key is shown. */
export const CreatePartnerResponse = z
  .object({ partner: Partner, api_key: z.string(), phone_hash_salt: z.string() })
  .meta({ id: 'CreatePartnerResponse' });

/** Body of `POST /admin/partners/{platform}/keys`. */
export const CreateApiKeyRequest = z
  .object({
    environment: KeyEnvironment.default('live'),
    revoke_existing: z.boolean().default(false).describe('Revoke every other key of the partner'),
  })
  .meta({ id: 'CreateApiKeyRequest' });

/** A new API key, shown once. */
export const CreateApiKeyResponse = z
  .object({ api_key: z.string(), key: ApiKeyInfo })
  .meta({ id: 'CreateApiKeyResponse' });

/** All partners. */
export const PartnerList = z.object({ partners: z.array(Partner) }).meta({ id: 'PartnerList' });
