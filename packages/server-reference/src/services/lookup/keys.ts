import { ErrorCode, ErrorText, type LookupKeyInfo } from '@careos/contract';
import { and, desc, eq, isNull, notInArray } from 'drizzle-orm';
import { apiKeyPrefix, generateApiKey, hashApiKey, hexDigestsEqual } from '../../crypto/api-keys.js';
import { lookupApiKeys } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import { CheckedKeys } from '../checked-keys.js';

/** The lookup key a request authenticated with. */
export interface LookupIdentity {
  /** `lkey_…`: rate limits and audit rows count per key. */
  keyId: string;
}

/** Where a lookup key came from. */
export type LookupKeySource = 'env' | 'admin' | 'demo';

function unauthorized(): DomainError {
  return new DomainError(ErrorCode.AUTH_FAILED, ErrorText.unauthorized, { message: 'Send a valid lookup API key as x-api-key or Authorization: Bearer' });
}

type KeyRow = typeof lookupApiKeys.$inferSelect;

function keyInfo(row: KeyRow): LookupKeyInfo {
  return { id: row.id, name: row.name, prefix: row.prefix, created_at: row.createdAt.toISOString(), revoked_at: row.revokedAt?.toISOString() ?? null };
}

/** CCaaS lookup API keys: issued, listed and revoked by admins, checked on every lookup. */
export class LookupKeyService {
  readonly #checked = new CheckedKeys<LookupIdentity>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Checks a lookup key. Every failure (absent, unknown, revoked) is the seed's one 401
   * `Unauthorized`. A key checked in the last few seconds is answered from memory: the lookup
   * is the hot path, and the key table is read far more often than it changes.
   */
  async authenticate(apiKey: string | undefined): Promise<LookupIdentity> {
    if (!apiKey || apiKey.length > 512) throw unauthorized();
    const hash = hashApiKey(apiKey);
    return this.#checked.get(hash, async () => {
      const [row] = await this.ctx.db.orm
        .select({ id: lookupApiKeys.id, keyHash: lookupApiKeys.keyHash })
        .from(lookupApiKeys)
        .where(and(eq(lookupApiKeys.keyHash, hash), isNull(lookupApiKeys.revokedAt)));
      if (!row || !hexDigestsEqual(row.keyHash, hash)) throw unauthorized();
      return { keyId: row.id };
    });
  }

  /** Issues a key (or stores a given one, for the demo and env keys); the only time it is returned. */
  async create(input: { name: string; environment: 'live' | 'test'; source?: LookupKeySource; key?: string }): Promise<{ apiKey: string; key: LookupKeyInfo }> {
    const now = this.ctx.clock.now();
    const apiKey = input.key ?? generateApiKey('lookup', input.environment);
    const row: KeyRow = {
      id: newId('lkey', now),
      name: input.name,
      keyHash: hashApiKey(apiKey),
      prefix: apiKeyPrefix(apiKey),
      source: input.source ?? 'admin',
      createdAt: now,
      revokedAt: null,
    };
    await this.ctx.db.orm.insert(lookupApiKeys).values(row);
    return { apiKey, key: keyInfo(row) };
  }

  /** Every key, newest first. */
  async list(): Promise<LookupKeyInfo[]> {
    const rows = await this.ctx.db.orm.select().from(lookupApiKeys).orderBy(desc(lookupApiKeys.createdAt), desc(lookupApiKeys.id));
    return rows.map(keyInfo);
  }

  /** Revokes a key: it stops working at once on this instance, within seconds on the others. */
  async revoke(keyId: string): Promise<LookupKeyInfo> {
    const now = this.ctx.clock.now();
    const [row] = await this.ctx.db.orm
      .update(lookupApiKeys)
      .set({ revokedAt: now })
      .where(and(eq(lookupApiKeys.id, keyId), isNull(lookupApiKeys.revokedAt)))
      .returning();
    this.#checked.clear();
    if (row) return keyInfo(row);
    const [existing] = await this.ctx.db.orm.select().from(lookupApiKeys).where(eq(lookupApiKeys.id, keyId));
    if (!existing) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No lookup key ${keyId}` });
    return keyInfo(existing);
  }

  /** Whether a key is stored and unrevoked. */
  async works(apiKey: string): Promise<boolean> {
    const rows = await this.ctx.db.orm
      .select({ id: lookupApiKeys.id })
      .from(lookupApiKeys)
      .where(and(eq(lookupApiKeys.keyHash, hashApiKey(apiKey)), isNull(lookupApiKeys.revokedAt)));
    return rows.length > 0;
  }

  /**
   * Stores `key` unless its hash is there already (revoked or not: a revoked key stays revoked).
   * For keys with a fixed value: the demo's and the environment's.
   */
  async ensure(key: string, name: string, source: LookupKeySource): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.orm
      .insert(lookupApiKeys)
      .values({ id: newId('lkey', now), name, keyHash: hashApiKey(key), prefix: apiKeyPrefix(key), source, createdAt: now })
      .onConflictDoNothing({ target: lookupApiKeys.keyHash });
  }

  /** Makes the stored env keys match `CAREOS_LOOKUP_API_KEYS`: adds new ones, revokes removed ones. */
  async syncFromEnv(): Promise<void> {
    const keys = this.ctx.config.lookup.apiKeys;
    for (const [i, key] of keys.entries()) await this.ensure(key, `CAREOS_LOOKUP_API_KEYS #${i + 1}`, 'env');
    const stale = and(eq(lookupApiKeys.source, 'env'), isNull(lookupApiKeys.revokedAt));
    const hashes = keys.map(hashApiKey);
    await this.ctx.db.orm
      .update(lookupApiKeys)
      .set({ revokedAt: this.ctx.clock.now() })
      .where(hashes.length ? and(stale, notInArray(lookupApiKeys.keyHash, hashes)) : stale);
    this.#checked.clear();
  }
}
