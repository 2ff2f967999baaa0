import { BlockList, isIP } from 'node:net';

/** An IPv4 address written as IPv6 (`::ffff:203.0.113.7`), as dual-stack sockets report it. */
const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The plain IPv4 form of a v4-mapped IPv6 address, else the address unchanged. */
export function normalizeIp(address: string): string {
  return V4_MAPPED.exec(address)?.[1] ?? address;
}

/**
 * Compiles a partner's allowlist (exact addresses and CIDR ranges, IPv4 or IPv6) into a
 * matcher. An empty list allows every address: allowlisting is optional (seed §7).
 */
export function compileAllowlist(rules: readonly string[]): (address: string | undefined) => boolean {
  if (rules.length === 0) return () => true;
  const list = new BlockList();
  for (const rule of rules) {
    const [base, bits] = rule.split('/') as [string, string | undefined];
    const ip = normalizeIp(base);
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(bits), family);
  }
  return (address) => {
    if (!address) return false;
    const ip = normalizeIp(address);
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Whether `address` is allowed by `rules` (see {@link compileAllowlist}). */
export function ipAllowed(rules: readonly string[], address: string | undefined): boolean {
  return compileAllowlist(rules)(address);
}
