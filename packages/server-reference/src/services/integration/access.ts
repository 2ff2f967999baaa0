import { randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ErrorCode, ErrorText, type IntegrationAuthResponse, type IntegrationPartner } from '@careos/contract';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { apiKeyPrefix, hashApiKey, hexDigestsEqual, randomBase62 } from '../../crypto/api-keys.js';
import { integrationApiKeys, integrationPartners, therapists } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { ipAllowed } from '../../domain/ip-allowlist.js';
import type { ServiceContext } from '../context.js';
import { SettingKey, type SettingsService } from '../settings.js';

const ISSUER = 'careos';
const AUDIENCE = 'careos-integration';

/** An API key presented to `POST /api/integration/auth`, found and belonging to an active partner. */
export interface IntegrationKeyMatch {
  keyId: string;
  partnerId: string;
  secretHash: string;
  ipAllowlist: string[];
  rateLimitPerMinute: number | null;
}

/** Who a verified integration token speaks for, and the partner's current settings. */
export interface VerifiedIntegration {
  partnerId: string;
  apiKeyId: string;
  therapistId: string;
  /** The partner's custom requests-per-minute, or `null` for the server default. */
  rateLimitPerMinute: number | null;
}

/** Input of {@link IntegrationAccessService.createPartner}. */
export interface CreateIntegrationPartnerInput {
  name: string;
  environment: 'live' | 'test';
  ipAllowlist: string[];
  rateLimitPerMinute: number | null;
}

/** What an admin may change on a partner. */
export interface UpdateIntegrationPartnerInput {
  name?: string;
  status?: 'active' | 'suspended';
  ipAllowlist?: string[];
  rateLimitPerMinute?: number | null;
}

/** A new API key and its secret: the only time either is available in clear. */
export interface IssuedIntegrationKey {
  apiKey: string;
  apiSecret: string;
  key: { id: string; prefix: string; createdAt: Date; revokedAt: Date | null };
}

/** `int_<env>_<32 base62>`: recognisable in logs and secret scanners, about 190 bits. */
function generateKey(environment: 'live' | 'test'): string {
  return `int_${environment}_${randomBase62(32)}`;
}

/** `sk_<env>_<40 base62>`, the seed's secret shape. */
function generateSecret(environment: 'live' | 'test'): string {
  return `sk_${environment}_${randomBase62(40)}`;
}

function invalidKey(): DomainError {
  return new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidApiKey);
}

/**
 * Integration partners, their API keys and secrets, and the therapist tokens issued for them.
 * Nothing here is cached: suspension, key revocation, therapist deactivation and allowlist
 * changes apply to the very next request.
 */
export class IntegrationAccessService {
  #secret: Promise<Uint8Array> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Finds the partner behind an API key. A key that is unknown or revoked, or whose partner is
   * suspended, is the seed's 401 `Invalid API key`.
   */
  async lookupKey(apiKey: string): Promise<IntegrationKeyMatch> {
    const hash = hashApiKey(apiKey);
    const [row] = await this.ctx.db.orm
      .select({
        keyId: integrationApiKeys.id,
        keyHash: integrationApiKeys.keyHash,
        secretHash: integrationApiKeys.secretHash,
        partnerId: integrationPartners.id,
        status: integrationPartners.status,
        ipAllowlist: integrationPartners.ipAllowlist,
        rateLimitPerMinute: integrationPartners.rateLimitPerMinute,
      })
      .from(integrationApiKeys)
      .innerJoin(integrationPartners, eq(integrationPartners.id, integrationApiKeys.partnerId))
      .where(and(eq(integrationApiKeys.keyHash, hash), isNull(integrationApiKeys.revokedAt)));
    if (!row || row.status !== 'active' || !hexDigestsEqual(row.keyHash, hash)) throw invalidKey();
    return { keyId: row.keyId, partnerId: row.partnerId, secretHash: row.secretHash, ipAllowlist: row.ipAllowlist, rateLimitPerMinute: row.rateLimitPerMinute };
  }

  /** Refuses a source address outside the partner's allowlist (403). */
  checkAddress(ipAllowlist: readonly string[], ip: string | undefined): void {
    if (!ipAllowed(ipAllowlist, ip)) {
      throw new DomainError(ErrorCode.FORBIDDEN, ErrorText.ipNotAllowed, { message: "This address is not in the partner's IP allowlist" });
    }
  }

  /**
   * Checks the secret (argon2id) and the therapist, then signs a one-hour HS256 token whose
   * claims name the therapist (`sub`), the partner and the key.
   */
  async issueToken(match: IntegrationKeyMatch, apiSecret: string, therapistId: string): Promise<IntegrationAuthResponse> {
    const ok = await argonVerify(match.secretHash, apiSecret).catch(() => false);
    if (!ok) throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidApiSecret);
    const [therapist] = await this.ctx.db.orm.select({ active: therapists.active }).from(therapists).where(eq(therapists.id, therapistId));
    if (!therapist?.active) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.therapistNotFound);
    const nowSeconds = Math.floor(this.ctx.clock.now().getTime() / 1000);
    const token = await new SignJWT({ partner_id: match.partnerId, key_id: match.keyId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(therapistId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + this.ctx.config.integrationTokenTtlSeconds)
      .sign(await this.#key());
    return { token, expiresIn: this.ctx.config.integrationTokenTtlSeconds, tokenType: 'Bearer' };
  }

  /** Whether an error of {@link issueToken} means the secret was wrong (not, say, an unknown therapist). */
  isWrongSecret(error: unknown): boolean {
    return error instanceof DomainError && error.error === ErrorText.invalidApiSecret;
  }

  /**
   * Verifies a bearer token and re-checks, on every call, that its key is unrevoked, its
   * partner active, its therapist active and the caller's address allowed.
   *
   * @throws DomainError `TOKEN_EXPIRED` (401), `AUTH_FAILED` (401), `FORBIDDEN` (403, address).
   */
  async verifyToken(token: string | undefined, ip: string | undefined): Promise<VerifiedIntegration> {
    if (!token || token.length > 4096) {
      throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidIntegrationToken, { message: 'Send Authorization: Bearer <token from POST /api/integration/auth>' });
    }
    let claims: { therapistId: string; partnerId: string; keyId: string };
    try {
      const { payload } = await jwtVerify(token, await this.#key(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: this.ctx.clock.now() });
      if (typeof payload.sub !== 'string' || typeof payload.partner_id !== 'string' || typeof payload.key_id !== 'string') throw new Error('claims');
      claims = { therapistId: payload.sub, partnerId: payload.partner_id, keyId: payload.key_id };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new DomainError(ErrorCode.TOKEN_EXPIRED, ErrorText.tokenExpired, { message: 'Authenticate again with POST /api/integration/auth' });
      }
      throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidIntegrationToken);
    }
    const [row] = await this.ctx.db.orm
      .select({
        revokedAt: integrationApiKeys.revokedAt,
        status: integrationPartners.status,
        ipAllowlist: integrationPartners.ipAllowlist,
        rateLimitPerMinute: integrationPartners.rateLimitPerMinute,
      })
      .from(integrationApiKeys)
      .innerJoin(integrationPartners, eq(integrationPartners.id, integrationApiKeys.partnerId))
      .where(and(eq(integrationApiKeys.id, claims.keyId), eq(integrationPartners.id, claims.partnerId)));
    if (!row || row.revokedAt !== null || row.status !== 'active') {
      throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.integrationAccessRevoked, { message: 'The API key was revoked or the partner suspended' });
    }
    const [therapist] = await this.ctx.db.orm.select({ active: therapists.active }).from(therapists).where(eq(therapists.id, claims.therapistId));
    if (!therapist?.active) throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.therapistNotFound);
    this.checkAddress(row.ipAllowlist, ip);
    return { partnerId: claims.partnerId, apiKeyId: claims.keyId, therapistId: claims.therapistId, rateLimitPerMinute: row.rateLimitPerMinute };
  }

  /** Creates a partner with its first key and secret. */
  async createPartner(input: CreateIntegrationPartnerInput): Promise<{ partner: IntegrationPartner; apiKey: string; apiSecret: string }> {
    const now = this.ctx.clock.now();
    const id = newId('ipt', now);
    await this.ctx.db.orm.insert(integrationPartners).values({
      id,
      name: input.name,
      status: 'active',
      ipAllowlist: input.ipAllowlist,
      rateLimitPerMinute: input.rateLimitPerMinute,
      createdAt: now,
      updatedAt: now,
    });
    const issued = await this.createKey(id, { environment: input.environment, revokeExisting: false });
    return { partner: (await this.getPartner(id))!, apiKey: issued.apiKey, apiSecret: issued.apiSecret };
  }

  /**
   * Issues a key and secret for a partner (rotation). With `revokeExisting`, every other key
   * of the partner, and every token issued for one, stops working at once.
   */
  async createKey(
    partnerId: string,
    options: { environment: 'live' | 'test'; revokeExisting: boolean; apiKey?: string; apiSecret?: string },
  ): Promise<IssuedIntegrationKey> {
    const now = this.ctx.clock.now();
    const [partner] = await this.ctx.db.orm.select({ id: integrationPartners.id }).from(integrationPartners).where(eq(integrationPartners.id, partnerId));
    if (!partner) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No integration partner with this id' });
    const apiKey = options.apiKey ?? generateKey(options.environment);
    const apiSecret = options.apiSecret ?? generateSecret(options.environment);
    const row = { id: newId('ikey', now), partnerId, keyHash: hashApiKey(apiKey), prefix: apiKeyPrefix(apiKey), secretHash: await argonHash(apiSecret), createdAt: now };
    await this.ctx.db.orm.transaction(async (tx) => {
      if (options.revokeExisting) {
        await tx
          .update(integrationApiKeys)
          .set({ revokedAt: now })
          .where(and(eq(integrationApiKeys.partnerId, partnerId), isNull(integrationApiKeys.revokedAt)));
      }
      await tx.insert(integrationApiKeys).values(row);
    });
    return { apiKey, apiSecret, key: { id: row.id, prefix: row.prefix, createdAt: now, revokedAt: null } };
  }

  /** Suspends or reactivates a partner, or changes its allowlist, custom limit or name. */
  async updatePartner(partnerId: string, input: UpdateIntegrationPartnerInput): Promise<IntegrationPartner> {
    const set: Partial<typeof integrationPartners.$inferInsert> = { updatedAt: this.ctx.clock.now() };
    if (input.name !== undefined) set.name = input.name;
    if (input.status !== undefined) set.status = input.status;
    if (input.ipAllowlist !== undefined) set.ipAllowlist = input.ipAllowlist;
    if (input.rateLimitPerMinute !== undefined) set.rateLimitPerMinute = input.rateLimitPerMinute;
    const updated = await this.ctx.db.orm.update(integrationPartners).set(set).where(eq(integrationPartners.id, partnerId)).returning({ id: integrationPartners.id });
    if (updated.length === 0) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No integration partner with this id' });
    return (await this.getPartner(partnerId))!;
  }

  /** Every partner, oldest first, with its keys' metadata. */
  async listPartners(): Promise<IntegrationPartner[]> {
    return this.#load();
  }

  /** One partner, or `null`. */
  async getPartner(partnerId: string): Promise<IntegrationPartner | null> {
    return (await this.#load(partnerId))[0] ?? null;
  }

  /** Whether `apiKey` is a live key of an active partner and `apiSecret` its secret (the demo seed checks its stored pair). */
  async keyWorks(apiKey: string, apiSecret: string): Promise<boolean> {
    const match = await this.lookupKey(apiKey).catch(() => null);
    return match !== null && (await argonVerify(match.secretHash, apiSecret).catch(() => false));
  }

  async #load(partnerId?: string): Promise<IntegrationPartner[]> {
    const query = this.ctx.db.orm.select().from(integrationPartners);
    const rows = await (partnerId ? query.where(eq(integrationPartners.id, partnerId)) : query).orderBy(asc(integrationPartners.id));
    if (rows.length === 0) return [];
    const keys = await this.ctx.db.orm
      .select()
      .from(integrationApiKeys)
      .where(inArray(integrationApiKeys.partnerId, rows.map((r) => r.id)))
      .orderBy(asc(integrationApiKeys.id));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status === 'suspended' ? 'suspended' : 'active',
      ip_allowlist: row.ipAllowlist,
      rate_limit_per_minute: row.rateLimitPerMinute,
      api_keys: keys
        .filter((k) => k.partnerId === row.id)
        .map((k) => ({ id: k.id, prefix: k.prefix, created_at: k.createdAt.toISOString(), revoked_at: k.revokedAt?.toISOString() ?? null })),
      created_at: row.createdAt.toISOString(),
    }));
  }

  /** The token secret: configured, or generated once and shared by instances through the database. */
  #key(): Promise<Uint8Array> {
    this.#secret ??= (async () => {
      const secret =
        this.ctx.config.integrationJwtSecret ??
        (await this.settings.getOrCreate(SettingKey.integrationJwtSecret, () => randomBytes(48).toString('base64url')));
      return new TextEncoder().encode(secret);
    })();
    this.#secret.catch(() => (this.#secret = null));
    return this.#secret;
  }
}
