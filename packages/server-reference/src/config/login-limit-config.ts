import { readInteger } from './read-integer.js';

/**
 * Brute-force limits on the credential exchanges (`CAREOS_LOGIN_*`,
 * `CAREOS_INTEGRATION_AUTH_MAX_FAILURES`). Every attempt is counted before its password or
 * secret is checked, and a success clears the per-account (per-key) counts, so the account
 * counts are consecutive failures.
 */
export interface LoginLimitConfig {
  /** Length of a counting window and of the refusal once a limit is crossed, in seconds. */
  windowSeconds: number;
  /** Consecutive failed logins to one account from one client address (`CAREOS_LOGIN_MAX_FAILURES`). */
  maxFailuresPerAccountAddress: number;
  /** Consecutive failed logins to one account from all addresses together (`CAREOS_LOGIN_MAX_ACCOUNT_FAILURES`). */
  maxFailuresPerAccount: number;
  /** Login attempts from one client address to any accounts, failed or not (`CAREOS_LOGIN_MAX_ATTEMPTS_PER_IP`). */
  maxAttemptsPerAddress: number;
  /** Consecutive wrong secrets for one integration API key (`CAREOS_INTEGRATION_AUTH_MAX_FAILURES`). */
  maxSecretFailuresPerKey: number;
}

/** The defaults: 10 in a row from one place, 50 for an account, 100 attempts per address, per 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimitConfig = {
  windowSeconds: 900,
  maxFailuresPerAccountAddress: 10,
  maxFailuresPerAccount: 50,
  maxAttemptsPerAddress: 100,
  maxSecretFailuresPerKey: 10,
};

/** Reads the brute-force limits; problems are appended to `problems`. */
export function readLoginLimitConfig(read: (name: string) => string | undefined, problems: string[]): LoginLimitConfig {
  const count = (name: string, fallback: number, what: string) =>
    readInteger(read, name, { fallback, min: 1, max: 1_000_000, problem: `${name} must be a whole number from 1 to 1000000 (${what})` }, problems);
  return {
    windowSeconds: readInteger(read, 'CAREOS_LOGIN_WINDOW', { fallback: DEFAULT_LOGIN_LIMITS.windowSeconds, min: 1, max: 86_400, problem: 'CAREOS_LOGIN_WINDOW must be a whole number of seconds from 1 to 86400' }, problems),
    maxFailuresPerAccountAddress: count('CAREOS_LOGIN_MAX_FAILURES', DEFAULT_LOGIN_LIMITS.maxFailuresPerAccountAddress, 'consecutive failed logins per account and address'),
    maxFailuresPerAccount: count('CAREOS_LOGIN_MAX_ACCOUNT_FAILURES', DEFAULT_LOGIN_LIMITS.maxFailuresPerAccount, 'consecutive failed logins per account'),
    maxAttemptsPerAddress: count('CAREOS_LOGIN_MAX_ATTEMPTS_PER_IP', DEFAULT_LOGIN_LIMITS.maxAttemptsPerAddress, 'login attempts per client address'),
    maxSecretFailuresPerKey: count('CAREOS_INTEGRATION_AUTH_MAX_FAILURES', DEFAULT_LOGIN_LIMITS.maxSecretFailuresPerKey, 'consecutive wrong secrets per integration API key'),
  };
}
