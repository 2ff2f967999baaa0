import { createHash, randomBytes } from 'node:crypto';

/** A code the fake issued at its authorize endpoint, with what it was issued for. */
interface IssuedCode {
  redirectUri: string;
  /** The PKCE S256 challenge, or `null` for a code issued without one (`issueCode`). */
  challenge: string | null;
  scope: string;
}

/** The refusal a fake answers for a grant, in the provider's words. */
export interface GrantRefusal {
  error: 'invalid_grant' | 'invalid_request';
  description: string;
}

/** What a fake token endpoint issues. */
export interface GrantTokens {
  accessToken: string;
  refreshToken: string | undefined;
  scope: string;
}

/**
 * The grant bookkeeping shared by the fake Google and Microsoft: authorization codes bound to a
 * PKCE challenge and redirect URI (single use), refresh tokens and the access tokens issued from
 * them, revocation. `rotate` issues a new refresh token on each refresh and retires the old one
 * (Microsoft rotates; retiring the old one at once is stricter than Microsoft, so a client that
 * keeps using a stale token is caught).
 */
export class OAuthGrants {
  readonly #codes = new Map<string, IssuedCode>();
  /** refresh token → scope */
  readonly #refresh = new Map<string, string>();
  readonly #access = new Map<string, string>();

  // A plain field rather than a parameter property: the bench loads this file with Node's type stripping.
  private readonly options: { rotate: boolean; accessPrefix: string; refreshPrefix: string; codePrefix: string };

  constructor(options: { rotate: boolean; accessPrefix: string; refreshPrefix: string; codePrefix: string }) {
    this.options = options;
  }

  /** Issues a code as the consent page would. */
  issue(redirectUri: string, challenge: string | null, scope: string): string {
    const code = `${this.options.codePrefix}${randomBytes(30).toString('base64url')}`;
    this.#codes.set(code, { redirectUri, challenge, scope });
    return code;
  }

  /** Whether a code is outstanding (the token endpoint checks the client before redeeming). */
  knowsCode(code: string): boolean {
    return this.#codes.has(code);
  }

  /** Redeems a code: right redirect URI, and the verifier whose S256 is the challenge. */
  redeem(code: string, redirectUri: string | null, verifier: string | null): GrantTokens | GrantRefusal {
    const issued = this.#codes.get(code);
    if (!issued) return { error: 'invalid_grant', description: 'Malformed auth code.' };
    if (redirectUri !== issued.redirectUri) return { error: 'invalid_request', description: 'redirect_uri_mismatch' };
    if (issued.challenge !== null) {
      const computed = verifier ? createHash('sha256').update(verifier).digest('base64url') : null;
      // A wrong verifier spends the code too (an attacker gets one try).
      if (computed !== issued.challenge) {
        this.#codes.delete(code);
        return { error: 'invalid_grant', description: verifier ? 'Invalid code verifier.' : 'Missing code verifier.' };
      }
    }
    this.#codes.delete(code);
    const refreshToken = this.#newRefresh(issued.scope);
    return { accessToken: this.#newAccess(refreshToken), refreshToken, scope: issued.scope };
  }

  /** A refresh: a new access token (and, rotating, a new refresh token). */
  refresh(refreshToken: string): GrantTokens | GrantRefusal {
    const scope = this.#refresh.get(refreshToken);
    if (scope === undefined) return { error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    let next: string | undefined;
    if (this.options.rotate) {
      this.#refresh.delete(refreshToken);
      next = this.#newRefresh(scope);
    }
    return { accessToken: this.#newAccess(next ?? refreshToken), refreshToken: next, scope };
  }

  /** Revokes a refresh token (and its access tokens) or one access token; `false` when unknown. */
  revoke(token: string): boolean {
    if (this.#refresh.delete(token)) {
      for (const [access, parent] of this.#access) if (parent === token) this.#access.delete(access);
      return true;
    }
    return this.#access.delete(token);
  }

  /** As if the user removed the app from their account: every refresh token stops working. */
  revokeAll(): void {
    this.#refresh.clear();
    this.#access.clear();
  }

  /** Every access token stops working (they expired early); refresh tokens still work. */
  dropAccessTokens(): void {
    this.#access.clear();
  }

  /** Whether an access token is live (what a calendar API would accept). */
  isLiveAccessToken(token: string): boolean {
    return this.#access.has(token);
  }

  /** Outstanding refresh tokens. */
  get refreshTokens(): string[] {
    return [...this.#refresh.keys()];
  }

  #newRefresh(scope: string): string {
    const token = `${this.options.refreshPrefix}${randomBytes(24).toString('base64url')}`;
    this.#refresh.set(token, scope);
    return token;
  }

  #newAccess(refreshToken: string): string {
    const token = `${this.options.accessPrefix}${randomBytes(24).toString('base64url')}`;
    this.#access.set(token, refreshToken);
    return token;
  }
}

/** `true` when `value` is a {@link GrantRefusal}. */
export function refused(value: GrantTokens | GrantRefusal): value is GrantRefusal {
  return 'error' in value;
}
