import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginLimitConfig } from '../config/login-limit-config.js';
import type { RateDecision, RateLimits } from './rate-limit.js';

/** One counter an attempt is counted on. */
interface Counter {
  limiter: RateLimiterAbstract;
  limit: number;
  /** A success clears it, so it counts consecutive failures. */
  resetOnSuccess: boolean;
  /** Names the limit in a 429's message. */
  refusal: string;
}

/** An attempt counted and allowed: tell it when the password or secret turned out right. */
export interface CountedAttempt {
  /** Clears the counts that only failures should keep (the account's or key's). */
  succeeded(): Promise<void>;
}

/**
 * The client address as a limiter key: IPv4 (also when IPv4-mapped) as is, IPv6 by its /64,
 * the block one subscriber usually holds, so rotating addresses inside it does not reset the
 * count.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.padStart(4, '0')).join(':')}::/64`;
}

/**
 * Brute-force limits on the two credential exchanges, on the same stores as the API's
 * request budgets (so shared by every instance through Redis, or the database while Redis is
 * away). Every attempt is counted *before* its password or secret is checked — a correct
 * password is refused too while a limit holds, and parallel guesses cannot slip past a check
 * made before the count — and a success clears the per-account (per-key) counts.
 */
export class AttemptLimits {
  readonly #accountAddress: Counter;
  readonly #account: Counter;
  readonly #address: Counter;
  readonly #secret: Counter;

  constructor(
    private readonly rateLimits: RateLimits,
    config: LoginLimitConfig,
    private readonly logger: Logger,
  ) {
    const window = config.windowSeconds;
    const counter = (id: string, limit: number, resetOnSuccess: boolean, refusal: string): Counter => ({
      limiter: rateLimits.limiter({ id, points: limit, durationSeconds: window, blockSeconds: window }),
      limit,
      resetOnSuccess,
      refusal,
    });
    this.#accountAddress = counter('login-account-ip', config.maxFailuresPerAccountAddress, true, 'Too many failed logins for this account from this address');
    this.#account = counter('login-account', config.maxFailuresPerAccount, true, 'Too many failed logins for this account');
    this.#address = counter('login-ip', config.maxAttemptsPerAddress, false, 'Too many login attempts from this address');
    this.#secret = counter('integration-secret', config.maxSecretFailuresPerKey, true, 'Too many wrong secrets for this API key');
  }

  /**
   * Counts a staff login attempt for an account (`accountKey`: a keyed hash of the normalised
   * email, never the email) from a client address.
   *
   * @throws HttpError 429 `RATE_LIMITED` with `Retry-After` when a limit holds.
   */
  login(accountKey: string, ip: string | undefined): Promise<CountedAttempt> {
    const address = addressKey(ip);
    return this.#attempt([
      [this.#accountAddress, `${accountKey}:${address}`],
      [this.#account, accountKey],
      [this.#address, address],
    ]);
  }

  /**
   * Counts an attempt at an integration API key's secret.
   *
   * @throws HttpError 429 `RATE_LIMITED` with `Retry-After` when the key's limit holds.
   */
  integrationSecret(apiKeyId: string): Promise<CountedAttempt> {
    return this.#attempt([[this.#secret, apiKeyId]]);
  }

  async #attempt(counts: [Counter, string][]): Promise<CountedAttempt> {
    const decisions = await Promise.all(counts.map(([counter, key]) => this.rateLimits.count(counter.limiter, counter.limit, key)));
    let refused: { decision: RateDecision; refusal: string } | null = null;
    decisions.forEach((decision, i) => {
      if (decision?.limited && (!refused || decision.resetMs > refused.decision.resetMs)) refused = { decision, refusal: counts[i]![0].refusal };
    });
    if (refused) {
      const { decision, refusal } = refused as { decision: RateDecision; refusal: string };
      throw this.rateLimits.limitedError(decision, refusal);
    }
    return {
      succeeded: async () => {
        await Promise.all(
          counts
            .filter(([counter]) => counter.resetOnSuccess)
            .map(([counter, key]) =>
              counter.limiter.delete(key).catch((error: unknown) => this.logger.warn({ err_message: (error as Error)?.message }, 'could not clear a failed-attempt count')),
            ),
        );
      },
    };
  }
}
