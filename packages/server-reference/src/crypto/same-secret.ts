import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret someone presented equals the stored one, in time that depends on neither
 * where they differ nor how long either is (both are hashed to 32 bytes first).
 */
export function sameSecret(given: string, stored: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(stored));
}
