/**
 * Masked forms of what the self-test reports: enough to tell which account or key is
 * configured, never enough to use it.
 */

/** An identifier (account SID, client id): its first and last four characters, `AC12…cdef`. */
export function maskId(value: string): string {
  return value.length <= 10 ? `${value.slice(0, 2)}…` : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** An email address: the first character of the local part and the domain, `n…@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  return at <= 0 ? '…' : `${value.slice(0, 1)}…${value.slice(at)}`;
}
