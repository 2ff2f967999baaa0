import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ErrorCode, ErrorText, type LoginResponse, type StaffRole } from '@careos/contract';
import { eq, sql, type SQL } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Executor } from '../db/database.js';
import { staffUsers } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { normaliseEmail } from '../crypto/blind-index.js';
import type { ServiceContext } from './context.js';
import { SettingKey, type SettingsService } from './settings.js';
import { StaffSessions, type IssuedRefreshToken } from './staff-sessions.js';

const ISSUER = 'careos';
const AUDIENCE = 'careos-staff';

/** The staff member a request authenticated as. */
export interface StaffIdentity {
  staffId: string;
  email: string;
  role: StaffRole;
}

/** A staff account as returned by the API. */
export interface StaffRecord {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  createdAt: Date;
}

function toRole(value: string): StaffRole {
  return value === 'admin' ? 'admin' : 'staff';
}

/** Staff and admin accounts, passwords (argon2id) and bearer tokens (HS256). */
export class StaffService {
  #secret: Uint8Array | null = null;
  #limitKey: Buffer | null = null;
  /** Verified against when the email is unknown, so both paths cost one argon2 verification. */
  #dummyHash: Promise<string> | null = null;
  readonly #sessions: StaffSessions;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {
    this.#sessions = new StaffSessions(ctx);
  }

  /** Loads (or generates and stores) the token secret; call once at start. */
  async init(): Promise<void> {
    const secret = this.ctx.config.jwtSecret ?? (await this.settings.getOrCreate(SettingKey.jwtSecret, () => randomBytes(48).toString('base64url')));
    this.#secret = new TextEncoder().encode(secret);
  }

  /** Creates the configured admin (`CAREOS_ADMIN_EMAIL`/`_PASSWORD`) if no account has that email. */
  async ensureConfiguredAdmin(): Promise<void> {
    const admin = this.ctx.config.admin;
    if (!admin) return;
    if (await this.findByEmail(admin.email)) return;
    await this.create({ email: admin.email, password: admin.password, name: 'Administrator', role: 'admin' }).catch((error: unknown) => {
      // Another instance created it first.
      if (!(error instanceof DomainError)) throw error;
    });
  }

  /**
   * Registers an account for `caller` (`POST /auth/register`). Once an admin exists only an admin
   * may register accounts; before that (the bootstrap, development mode only) an anonymous
   * caller may create the first admin, and two racing bootstraps cannot both succeed: the check
   * and the insert run under one transaction-scoped advisory lock.
   *
   * @throws DomainError `AUTH_FAILED` (anonymous once an admin exists), `FORBIDDEN` (a staff
   *   caller, or an anonymous first account that is not an admin), `ALREADY_EXISTS` (email taken).
   */
  async register(input: { email: string; password: string; name: string; role: StaffRole }, caller: StaffIdentity | null): Promise<StaffRecord> {
    if (caller) {
      if (caller.role !== 'admin') throw new DomainError(ErrorCode.FORBIDDEN, ErrorText.forbidden, { message: 'Only an admin can create accounts' });
      return this.create(input);
    }
    // Refused before the password is hashed, so anonymous calls cannot make the server spend an
    // argon2 hash each; checked again under the lock, where a racing bootstrap is decided.
    await this.#checkBootstrap(this.ctx.db.orm, input.role);
    const passwordHash = await argonHash(input.password);
    return this.ctx.db.orm.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('careos.staff.bootstrap'))`);
      await this.#checkBootstrap(tx, input.role);
      return this.#insert(input, passwordHash, tx);
    });
  }

  /** Throws unless an anonymous caller may create this first account now. */
  async #checkBootstrap(db: Executor, role: StaffRole): Promise<void> {
    const [admin] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.role, 'admin')).limit(1);
    if (admin || this.ctx.config.mode === 'production') {
      throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.notAuthenticated, {
        message: admin ? 'Accounts are created by an admin: send an admin bearer token' : 'In production the first admin comes from CAREOS_ADMIN_EMAIL and CAREOS_ADMIN_PASSWORD',
      });
    }
    if (role !== 'admin') {
      throw new DomainError(ErrorCode.FORBIDDEN, ErrorText.forbidden, { message: 'The first account must be an admin (role "admin")' });
    }
  }

  /** Creates an account. */
  async create(input: { email: string; password: string; name: string; role: StaffRole }): Promise<StaffRecord> {
    return this.#insert(input, await argonHash(input.password), this.ctx.db.orm);
  }

  async #insert(input: { email: string; name: string; role: StaffRole }, passwordHash: string, db: Executor): Promise<StaffRecord> {
    const now = this.ctx.clock.now();
    const email = normaliseEmail(input.email);
    const { cipher, blind } = this.ctx.phi;
    const row = {
      id: newId('staff', now),
      emailBidx: blind.email(email),
      emailEnc: cipher.seal(staffUsers.emailEnc, email),
      nameEnc: cipher.seal(staffUsers.nameEnc, input.name),
      role: input.role,
      passwordHash,
      createdAt: now,
    };
    const inserted = await db.insert(staffUsers).values(row).onConflictDoNothing({ target: staffUsers.emailBidx }).returning({ id: staffUsers.id });
    if (inserted.length === 0) throw new DomainError(ErrorCode.ALREADY_EXISTS, ErrorText.accountExists);
    return { id: row.id, email, name: input.name, role: input.role, createdAt: now };
  }

  /** Replaces an account's password. */
  async setPassword(email: string, password: string): Promise<void> {
    await this.ctx.db.orm.update(staffUsers).set({ passwordHash: await argonHash(password) }).where(eq(staffUsers.emailBidx, this.ctx.phi.blind.email(email)));
  }

  /** The account with this email, if any. */
  async findByEmail(email: string): Promise<StaffRecord | null> {
    const row = await this.#byEmail(email);
    return row ? { id: row.id, email: row.email, name: row.name, role: toRole(row.role), createdAt: row.createdAt } : null;
  }

  /** The account with this email (found by its blind index), decrypted. */
  async #byEmail(email: string) {
    return this.#one(eq(staffUsers.emailBidx, this.ctx.phi.blind.email(email)));
  }

  async #byId(id: string) {
    return this.#one(eq(staffUsers.id, id));
  }

  async #one(where: SQL) {
    const [row] = await this.ctx.db.orm
      .select({ id: staffUsers.id, emailEnc: staffUsers.emailEnc, nameEnc: staffUsers.nameEnc, role: staffUsers.role, passwordHash: staffUsers.passwordHash, createdAt: staffUsers.createdAt })
      .from(staffUsers)
      .where(where);
    if (!row) return null;
    const { cipher } = this.ctx.phi;
    return { ...row, email: cipher.open(staffUsers.emailEnc, row.emailEnc!), name: cipher.open(staffUsers.nameEnc, row.nameEnc!) };
  }

  /**
   * The key failed logins to an account are counted under: a keyed hash of the normalised
   * email, the same on every instance (derived from the token secret they share) and
   * meaningless without it, so no email appears in Redis, the database or a log.
   */
  loginLimitKey(email: string): string {
    this.#limitKey ??= Buffer.from(hkdfSync('sha256', this.#key(), Buffer.alloc(0), 'careos login limit key', 32));
    return createHmac('sha256', this.#limitKey).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
  }

  /**
   * Checks email and password and starts a session: a short-lived bearer token and a refresh token. `onAccount` learns the id of
   * the account the email names, before the password is checked, so a failed attempt can be
   * audited against the account without keeping the email typed.
   */
  async login(email: string, password: string, onAccount?: (accountId: string) => void): Promise<LoginResponse> {
    const row = await this.#byEmail(email);
    if (row) onAccount?.(row.id);
    this.#dummyHash ??= argonHash(randomBytes(16).toString('hex'));
    const ok = await argonVerify(row?.passwordHash ?? (await this.#dummyHash), password).catch(() => false);
    if (!row || !ok) throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidCredentials);
    return this.#session(row, await this.#sessions.issue(row.id));
  }

  /**
   * Exchanges a refresh token for a new access token and the next refresh token of the session
   * (`POST /auth/refresh`); the access token carries the account's current role and name.
   */
  async refresh(refreshToken: string, onAccount?: (accountId: string) => void): Promise<LoginResponse> {
    const { staffId, next } = await this.#sessions.exchange(refreshToken);
    onAccount?.(staffId);
    const row = await this.#byId(staffId);
    if (!row) throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.invalidRefreshToken);
    return this.#session(row, next);
  }

  /** Ends the session of a refresh token (`POST /auth/logout`); returns the account's id. */
  async logout(refreshToken: string): Promise<string> {
    return (await this.#sessions.revoke(refreshToken)).staffId;
  }

  async #session(row: { id: string; email: string; name: string; role: string; createdAt: Date }, refresh: IssuedRefreshToken): Promise<LoginResponse> {
    const role = toRole(row.role);
    const ttl = this.ctx.config.staffAccessTokenTtlSeconds;
    const nowSeconds = Math.floor(this.ctx.clock.now().getTime() / 1000);
    const token = await new SignJWT({ role, email: row.email })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(row.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ttl)
      .sign(this.#key());
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: ttl,
      refresh_token: refresh.token,
      refresh_expires_in: refresh.expiresInSeconds,
      user: { id: row.id, email: row.email, name: row.name, role, created_at: row.createdAt.toISOString() },
    };
  }

  /**
   * Verifies a bearer token.
   *
   * @throws DomainError `TOKEN_EXPIRED` for an expired token, `AUTH_FAILED` for anything else wrong.
   */
  async verify(token: string | undefined): Promise<StaffIdentity> {
    if (!token || token.length > 4096) throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.notAuthenticated);
    try {
      const { payload } = await jwtVerify(token, this.#key(), {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.ctx.clock.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') throw new Error('claims');
      return { staffId: payload.sub, email: payload.email, role: toRole(String(payload.role)) };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new DomainError(ErrorCode.TOKEN_EXPIRED, ErrorText.tokenExpired, { message: 'Log in again to get a new token' });
      }
      throw new DomainError(ErrorCode.AUTH_FAILED, ErrorText.notAuthenticated);
    }
  }

  #key(): Uint8Array {
    if (!this.#secret) throw new Error('StaffService.init() has not run');
    return this.#secret;
  }
}
