import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { ErrorCode, ErrorText, type Partner } from '@careos/contract';
import { apiKeyPrefix, generateApiKey, generateSalt, hashApiKey, hexDigestsEqual } from '../crypto/api-keys.js';
import { partnerApiKeys, partners } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { toCents, toUsd } from '../domain/money.js';
import type { ServiceContext } from './context.js';
import { CheckedKeys } from './checked-keys.js';

/** The partner a request authenticated as. */
export interface PartnerIdentity {
  partnerId: string;
  platform: string;
  name: string;
  /** Id of the API key used (`key_…`). */
  keyId: string;
  phoneHashSalt: string;
}

/** Where a key came from. */
export type KeySource = 'env' | 'admin' | 'demo';

/** Input of {@link PartnerService.create}. */
export interface CreatePartnerInput {
  platform: string;
  name?: string;
  environment: 'live' | 'test';
  phoneHashSalt?: string;
  /** USD. */
  minPayout?: number;
  payoutDestination?: string;
}

function authFailed(): DomainError {
  return new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidApiKey);
}

/** Lead partners and their API keys. */
export class PartnerService {
  readonly #checked = new CheckedKeys<PartnerIdentity>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Checks `X-API-Key` + `X-Platform`: the key must exist, be unrevoked, belong to an active
   * partner, and that partner must be the platform named. Every failure is the same 401.
   */
  async authenticate(apiKey: string | undefined, platform: string | undefined): Promise<PartnerIdentity> {
    if (!apiKey || !platform || apiKey.length > 512 || platform.length > 64) throw authFailed();
    const hash = hashApiKey(apiKey);
    const identity = await this.#checked.get(hash, async () => {
      const [row] = await this.ctx.db.orm
        .select({
          keyId: partnerApiKeys.id,
          keyHash: partnerApiKeys.keyHash,
          partnerId: partners.id,
          platform: partners.platform,
          name: partners.name,
          status: partners.status,
          phoneHashSalt: partners.phoneHashSalt,
        })
        .from(partnerApiKeys)
        .innerJoin(partners, eq(partners.id, partnerApiKeys.partnerId))
        .where(and(eq(partnerApiKeys.keyHash, hash), isNull(partnerApiKeys.revokedAt)));
      if (!row || row.status !== 'active' || !hexDigestsEqual(row.keyHash, hash)) throw authFailed();
      return { partnerId: row.partnerId, platform: row.platform, name: row.name, keyId: row.keyId, phoneHashSalt: row.phoneHashSalt };
    });
    if (identity.platform !== platform.trim().toLowerCase()) throw authFailed();
    return identity;
  }

  /** Forgets cached key lookups (after any change to keys or partners). */
  invalidateAuthCache(): void {
    this.#checked.clear();
  }

  /**
   * Makes the database match `CAREOS_PARTNERS`: creates or updates each partner, adds its env
   * keys (stored hashed), and revokes env keys no longer in the environment. Keys issued
   * through the admin API or the demo seed are left alone.
   */
  async syncFromEnv(): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.orm.transaction(async (tx) => {
      const configured = this.ctx.config.partners;
      const keepHashes: string[] = [];
      for (const partner of configured) {
        const [row] = await tx
          .insert(partners)
          .values({
            id: newId('ptn', now),
            platform: partner.platform,
            name: partner.name,
            phoneHashSalt: partner.phoneHashSalt,
            minPayoutCents: partner.minPayoutCents,
            payoutDestination: partner.payoutDestination,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: partners.platform,
            set: {
              name: partner.name,
              phoneHashSalt: partner.phoneHashSalt,
              minPayoutCents: partner.minPayoutCents,
              payoutDestination: partner.payoutDestination,
              updatedAt: now,
            },
          })
          .returning({ id: partners.id });
        for (const key of partner.apiKeys) {
          const keyHash = hashApiKey(key);
          keepHashes.push(keyHash);
          await tx
            .insert(partnerApiKeys)
            .values({ id: newId('key', now), partnerId: row!.id, keyHash, prefix: apiKeyPrefix(key), source: 'env', createdAt: now })
            .onConflictDoNothing({ target: partnerApiKeys.keyHash });
        }
      }
      const stale = and(eq(partnerApiKeys.source, 'env'), isNull(partnerApiKeys.revokedAt));
      await tx
        .update(partnerApiKeys)
        .set({ revokedAt: now })
        .where(keepHashes.length ? and(stale, notInArray(partnerApiKeys.keyHash, keepHashes)) : stale);
    });
    this.invalidateAuthCache();
  }

  /** Creates a partner with its first key and salt; the only time the key is returned. */
  async create(input: CreatePartnerInput): Promise<{ partner: Partner; apiKey: string; phoneHashSalt: string }> {
    const now = this.ctx.clock.now();
    const phoneHashSalt = input.phoneHashSalt ?? generateSalt();
    const apiKey = generateApiKey(input.platform, input.environment);
    const created = await this.ctx.db.orm.transaction(async (tx) => {
      const rows = await tx
        .insert(partners)
        .values({
          id: newId('ptn', now),
          platform: input.platform,
          name: input.name ?? input.platform,
          phoneHashSalt,
          minPayoutCents: input.minPayout === undefined ? null : toCents(input.minPayout),
          payoutDestination: input.payoutDestination ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: partners.platform })
        .returning({ id: partners.id });
      if (rows.length === 0) return null;
      await tx.insert(partnerApiKeys).values({
        id: newId('key', now),
        partnerId: rows[0]!.id,
        keyHash: hashApiKey(apiKey),
        prefix: apiKeyPrefix(apiKey),
        source: 'admin',
        createdAt: now,
      });
      return rows[0]!.id;
    });
    if (created === null) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, ErrorText.partnerExists, { message: `A partner named ${input.platform} exists already` });
    }
    const partner = await this.get(input.platform);
    return { partner: partner!, apiKey, phoneHashSalt };
  }

  /**
   * Issues a new key for a partner (rotation). With `revokeExisting`, every other key stops
   * working at once; otherwise old and new both work until the old one is revoked.
   */
  async createKey(
    platform: string,
    options: { environment: 'live' | 'test'; revokeExisting: boolean; source?: KeySource; key?: string },
  ): Promise<{ apiKey: string; key: { id: string; prefix: string; createdAt: Date; revokedAt: Date | null } }> {
    const now = this.ctx.clock.now();
    const [partner] = await this.ctx.db.orm.select({ id: partners.id }).from(partners).where(eq(partners.platform, platform));
    if (!partner) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No partner named ${platform}` });
    const apiKey = options.key ?? generateApiKey(platform, options.environment);
    const row = { id: newId('key', now), partnerId: partner.id, keyHash: hashApiKey(apiKey), prefix: apiKeyPrefix(apiKey), source: options.source ?? 'admin', createdAt: now };
    await this.ctx.db.orm.transaction(async (tx) => {
      if (options.revokeExisting) {
        await tx
          .update(partnerApiKeys)
          .set({ revokedAt: now })
          .where(and(eq(partnerApiKeys.partnerId, partner.id), isNull(partnerApiKeys.revokedAt)));
      }
      await tx.insert(partnerApiKeys).values(row);
    });
    this.invalidateAuthCache();
    return { apiKey, key: { id: row.id, prefix: row.prefix, createdAt: now, revokedAt: null } };
  }

  /** Revokes one key by its id. */
  async revokeKey(keyId: string): Promise<void> {
    await this.ctx.db.orm.update(partnerApiKeys).set({ revokedAt: this.ctx.clock.now() }).where(eq(partnerApiKeys.id, keyId));
    this.invalidateAuthCache();
  }

  /** Marks a partner `active` or `suspended`. */
  async setStatus(platform: string, status: 'active' | 'suspended'): Promise<void> {
    await this.ctx.db.orm.update(partners).set({ status, updatedAt: this.ctx.clock.now() }).where(eq(partners.platform, platform));
    this.invalidateAuthCache();
  }

  /** Creates a partner without keys if absent (keeping an existing one as it is); returns its salt. */
  async ensure(input: { platform: string; name: string }): Promise<string> {
    const now = this.ctx.clock.now();
    await this.ctx.db.orm
      .insert(partners)
      .values({ id: newId('ptn', now), platform: input.platform, name: input.name, phoneHashSalt: generateSalt(), createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: partners.platform });
    return (await this.salt(input.platform))!;
  }

  /** Whether a key hash is already stored. */
  async hasKey(apiKey: string): Promise<boolean> {
    const rows = await this.ctx.db.orm.select({ id: partnerApiKeys.id }).from(partnerApiKeys).where(eq(partnerApiKeys.keyHash, hashApiKey(apiKey)));
    return rows.length > 0;
  }

  /** One partner with its key metadata, or `null`. */
  async get(platform: string): Promise<Partner | null> {
    const list = await this.list([platform]);
    return list[0] ?? null;
  }

  /** The salt a partner hashes phones with. */
  async salt(platform: string): Promise<string | null> {
    const [row] = await this.ctx.db.orm.select({ salt: partners.phoneHashSalt }).from(partners).where(eq(partners.platform, platform));
    return row?.salt ?? null;
  }

  /** All partners (or the named ones), by platform name. */
  async list(platforms?: string[]): Promise<Partner[]> {
    const query = this.ctx.db.orm.select().from(partners);
    const rows = await (platforms ? query.where(inArray(partners.platform, platforms)) : query).orderBy(asc(partners.platform));
    if (rows.length === 0) return [];
    const keys = await this.ctx.db.orm
      .select()
      .from(partnerApiKeys)
      .where(inArray(partnerApiKeys.partnerId, rows.map((r) => r.id)))
      .orderBy(sql`${partnerApiKeys.id} desc`);
    return rows.map((row) => ({
      id: row.id,
      platform: row.platform,
      name: row.name,
      status: row.status === 'suspended' ? 'suspended' : 'active',
      min_payout: toUsd(row.minPayoutCents ?? this.ctx.config.minPayoutCents),
      payout_destination: row.payoutDestination,
      api_keys: keys
        .filter((k) => k.partnerId === row.id)
        .map((k) => ({ id: k.id, prefix: k.prefix, created_at: k.createdAt.toISOString(), revoked_at: k.revokedAt?.toISOString() ?? null })),
      created_at: row.createdAt.toISOString(),
    }));
  }
}
