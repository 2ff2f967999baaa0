import type { KeyObject } from 'node:crypto';
import { InboundLead, InvalidPhoneError, hashPhone, normalizePhone } from '@careos/contract';
import { CareOSError, RequestValidationError } from '../core/errors.js';
import type { CountryCode } from '../core/options.js';
import type { RequestInput } from '../core/request-input.js';
import { validatePart } from '../core/validate.js';
import { phoneEncryptorFor, type PhoneEncryptor } from '../phone/encryptor.js';

/**
 * A lead with the user's phone in plain text. The SDK normalises it to E.164, encrypts it
 * (RSA-OAEP, SHA-256) and hashes it (`sha256(e164 + PHONE_HASH_SALT)`); the plain number never
 * leaves the process. `source_platform` defaults to the client's `platform`.
 */
export type PlainPhoneLead = Omit<InboundLead, 'user_phone_hash' | 'user_phone_encrypted' | 'source_platform'> & {
  /** The user's phone number: E.164, international, or national format in the lead's `user_location_country` (else the client's `defaultCountry`). */
  phone: string;
  /** Defaults to the client's `platform`. */
  source_platform?: string;
};

/**
 * What `leads.ingest()` accepts: a lead with a plain `phone` (encrypted and hashed for you),
 * or a seed `InboundLead` whose phone is already encrypted and hashed (sent as is; pass the
 * key id yourself with `headers: { 'x-careos-key-id': ... }` if you know it).
 */
export type LeadIngestParams = PlainPhoneLead | InboundLead;

/** What preparing a plain-phone lead needs from the client. */
export interface PhoneContext {
  /** The client's encryptor; throws a clear error when no public key is configured. */
  encryptor(): PhoneEncryptor;
  /** Salt of the phone hash. */
  phoneHashSalt: string | undefined;
  /** Country for national-format numbers. */
  defaultCountry: CountryCode;
  /** Default `source_platform`. */
  platform: string | undefined;
}

function hasPlainPhone(params: LeadIngestParams): params is PlainPhoneLead {
  return typeof params === 'object' && params !== null && 'phone' in params && params.phone !== undefined;
}

/**
 * Turns `leads.ingest()` input into the seed's `InboundLead` body plus the key-id header.
 * The body is validated by the core afterwards, once, whichever form came in.
 */
export function prepareLeadIngest(params: LeadIngestParams, context: PhoneContext): RequestInput {
  if (!hasPlainPhone(params)) return { body: params };
  const { phone, ...rest } = params;
  if ('user_phone_encrypted' in rest || 'user_phone_hash' in rest) {
    throw new RequestValidationError('body', [
      { path: 'phone', message: 'Pass either phone, or user_phone_encrypted with user_phone_hash, not both' },
    ]);
  }
  if (context.phoneHashSalt === undefined) {
    throw new CareOSError('phoneHashSalt is required to send a plain phone: pass it to new CareOS() or set PHONE_HASH_SALT');
  }
  const encryptor = context.encryptor();
  let e164: string;
  try {
    // The lead's own country reads a national number first, as the server does when it checks it.
    const country = typeof rest.user_location_country === 'string' && /^[A-Za-z]{2}$/.test(rest.user_location_country.trim())
      ? (rest.user_location_country.trim().toUpperCase() as CountryCode)
      : context.defaultCountry;
    e164 = normalizePhone(phone, { defaultCountry: country });
  } catch (error) {
    if (!(error instanceof InvalidPhoneError)) throw error;
    throw new RequestValidationError('phone', [{ path: 'phone', message: error.message }]);
  }
  return {
    body: {
      ...rest,
      source_platform: rest.source_platform ?? context.platform,
      user_phone_hash: hashPhone(e164, context.phoneHashSalt),
      user_phone_encrypted: encryptor.encrypt(e164),
    },
    headers: { 'x-careos-key-id': encryptor.keyId },
  };
}

/** Options of {@link buildLeadRequest}: the same settings the client would use. */
export interface BuildLeadRequestOptions {
  publicKey?: string | KeyObject;
  phoneHashSalt?: string;
  platform?: string;
  defaultCountry?: CountryCode;
}

/**
 * Builds the exact request `leads.ingest()` would send, without sending it: the validated
 * `InboundLead` body (phone normalised, encrypted and hashed) and the `X-CareOS-Key-Id`
 * header. For dry runs, and for queuing leads to send through your own transport.
 *
 * @throws {@link RequestValidationError} when the lead does not match the contract
 * @throws {@link CareOSError} when the key or salt needed for a plain phone is missing
 */
export function buildLeadRequest(params: LeadIngestParams, options: BuildLeadRequestOptions): { body: InboundLead; headers: Record<string, string> } {
  let encryptor: PhoneEncryptor | undefined;
  const prepared = prepareLeadIngest(params, {
    encryptor: () => {
      if (options.publicKey === undefined) throw new CareOSError('publicKey is required to encrypt a plain phone');
      return (encryptor ??= phoneEncryptorFor(options.publicKey));
    },
    phoneHashSalt: options.phoneHashSalt,
    defaultCountry: options.defaultCountry ?? 'US',
    platform: options.platform,
  });
  // `InboundLead` is the ingest route's body schema (`routes.ingestLead.body`), named directly so
  // that a bundle of this function alone (the CLI's dry run) needs no other route's schemas.
  return { body: validatePart(InboundLead, prepared.body, 'body'), headers: { ...prepared.headers } };
}
