import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, ErrorText } from '@careos/contract';
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { staffRefreshTokens } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { ServiceContext } from './context.js';

/** Refresh tokens are `careos_rt_` and 43 characters of base64url (256 random bits). */
const TOKEN_PREFIX = 'careos_rt_';

/** A refresh token handed to the client, with its lifetime. */
export interface IssuedRefreshToken {
  token: string;
  expiresInSeconds: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const invalid = () => new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidRefreshToken);

/**
 * Rotating refresh tokens of staff sessions (one family per login). Exchanging a token spends
 * it and issues the next in the same transaction; a spent token presented again means two
 * parties hold it, so the family is revoked and both must log in again.
 */
export class StaffSessions {
  constructor(private readonly ctx: ServiceContext) {}

  /** Issues a refresh token for `staffId`, starting a new session unless `familyId` continues one. */
  async issue(staffId: string, familyId: string | null = null, db: Executor = this.ctx.db.orm): Promise<IssuedRefreshToken> {
    const now = this.ctx.clock.now();
    const ttl = this.ctx.config.staffRefreshTokenTtlSeconds;
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await db.insert(staffRefreshTokens).values({
      id: newId('rtok', now),
      familyId: familyId ?? newId('sess', now),
      staffId,
      tokenHash: hashOf(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl * 1000),
    });
    return { token, expiresInSeconds: ttl };
  }

  /**
   * Spends `token` and issues the next one of its session.
   *
   * @throws DomainError `AUTH_FAILED` for an unknown or revoked token, `TOKEN_EXPIRED` for an
   *   expired one, `REFRESH_TOKEN_REUSED` (after revoking the session) for a spent one.
   */
  async exchange(token: string): Promise<{ staffId: string; next: IssuedRefreshToken }> {
    const row = await this.#find(token);
    if (!row || row.revokedAt) throw invalid();
    const now = this.ctx.clock.now();
    if (row.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(ErrorCode.TOKEN_EXPIRED, ErrorText.tokenExpired, { message: 'The session has expired: log in again' });
    }
    const next = await this.ctx.db.orm.transaction(async (tx) => {
      const spent = await tx
        .update(staffRefreshTokens)
        .set({ spentAt: now })
        .where(and(eq(staffRefreshTokens.id, row.id), isNull(staffRefreshTokens.spentAt), isNull(staffRefreshTokens.revokedAt)))
        .returning({ id: staffRefreshTokens.id });
      if (spent.length === 0) return null;
      return this.issue(row.staffId, row.familyId, tx);
    });
    if (next) return { staffId: row.staffId, next };
    await this.#revokeFamily(row.familyId);
    this.ctx.logger.warn({ staff_id: row.staffId, session: row.familyId }, 'Spent refresh token presented again: session revoked');
    throw new DomainError(ErrorCode.REFRESH_TOKEN_REUSED, ErrorText.invalidRefreshToken, {
      message: 'This refresh token was already used, so the session has been revoked: log in again',
    });
  }

  /** Ends the session `token` belongs to (spent tokens of it included); returns the account. */
  async revoke(token: string): Promise<{ staffId: string }> {
    const row = await this.#find(token);
    if (!row) throw invalid();
    await this.#revokeFamily(row.familyId);
    return { staffId: row.staffId };
  }

  async #find(token: string) {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const [row] = await this.ctx.db.orm.select().from(staffRefreshTokens).where(eq(staffRefreshTokens.tokenHash, hashOf(token)));
    return row ?? null;
  }

  async #revokeFamily(familyId: string): Promise<void> {
    await this.ctx.db.orm
      .update(staffRefreshTokens)
      .set({ revokedAt: this.ctx.clock.now() })
      .where(and(eq(staffRefreshTokens.familyId, familyId), isNull(staffRefreshTokens.revokedAt)));
  }
}
