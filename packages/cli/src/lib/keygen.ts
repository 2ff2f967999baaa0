import { generateKeyPair, randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { publicKeyId } from '@careos/contract';
import { renderEnvFile } from './env-file.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** RSA modulus sizes `careos keys generate --bits` accepts. */
export const RSA_BITS = [2048, 3072, 4096] as const;

/** Everything one partner integration needs, on both sides. */
export interface PartnerKeys {
  partner: string;
  environment: string;
  /** `<partner>_<env>_` + 32 base62 characters. */
  apiKey: string;
  phoneHashSalt: string;
  publicKeyPem: string;
  privateKeyPem: string;
  keyId: string;
  bits: number;
}

/** 32 uniformly random base62 characters (`randomInt` avoids modulo bias). */
function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** Generates an API key, an RSA-OAEP key pair, a phone-hash salt and the key id. */
export async function generatePartnerKeys(partner: string, environment: string, bits = 2048): Promise<PartnerKeys> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    partner,
    environment,
    apiKey: `${partner}_${environment}_${base62(32)}`,
    phoneHashSalt: randomBytes(32).toString('hex'),
    publicKeyPem: publicKey,
    privateKeyPem: privateKey,
    keyId: publicKeyId(publicKey),
    bits,
  };
}

/** The CareOS side: what the server's environment needs (seed variable names). */
export function careosEnvVars(keys: PartnerKeys): Record<string, string> {
  const prefix = keys.partner.toUpperCase();
  return {
    CAREOS_PARTNERS: keys.partner,
    [`${prefix}_API_KEY`]: keys.apiKey,
    [`${prefix}_PHONE_HASH_SALT`]: keys.phoneHashSalt,
    CAREOS_PRIVATE_KEY: keys.privateKeyPem.trim(),
    CAREOS_PUBLIC_KEY: keys.publicKeyPem.trim(),
  };
}

/** The partner side: what the SDK and `careos lead send` read. */
export function partnerEnvVars(keys: PartnerKeys, apiUrl: string): Record<string, string> {
  return {
    CAREOS_API_KEY: keys.apiKey,
    CAREOS_API_URL: apiUrl,
    CAREOS_PLATFORM: keys.partner,
    CAREOS_PUBLIC_KEY: keys.publicKeyPem.trim(),
    CAREOS_KEY_ID: keys.keyId,
    PHONE_HASH_SALT: keys.phoneHashSalt,
  };
}

/** Renders `careos.env` (secret: holds the private key). */
export function renderCareosEnv(keys: PartnerKeys): string {
  return renderEnvFile(
    [`CareOS server side of the ${keys.partner} integration (${keys.environment}).`, 'Secret: holds the private key. Never share it with the partner.'],
    careosEnvVars(keys),
  );
}

/** Renders `partner.env` (give it to the partner over a secure channel). */
export function renderPartnerEnv(keys: PartnerKeys, apiUrl: string): string {
  return renderEnvFile(
    [`${keys.partner} side of the CareOS integration (${keys.environment}).`, 'Secret: holds the API key and phone-hash salt.'],
    partnerEnvVars(keys, apiUrl),
  );
}
