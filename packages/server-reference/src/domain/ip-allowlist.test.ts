import { describe, expect, it } from 'vitest';
import { ipAllowed, normalizeIp } from './ip-allowlist.js';

describe('ipAllowed', () => {
  it('allows everyone when the list is empty', () => {
    expect(ipAllowed([], '198.51.100.4')).toBe(true);
  });

  it('matches exact addresses and CIDR ranges of both families', () => {
    const rules = ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32', '::1'];
    expect(ipAllowed(rules, '203.0.113.7')).toBe(true);
    expect(ipAllowed(rules, '203.0.113.8')).toBe(false);
    expect(ipAllowed(rules, '10.200.3.4')).toBe(true);
    expect(ipAllowed(rules, '11.0.0.1')).toBe(false);
    expect(ipAllowed(rules, '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(rules, '2001:db9::5')).toBe(false);
    expect(ipAllowed(rules, '::1')).toBe(true);
  });

  it('treats IPv4-mapped IPv6 addresses as IPv4, and refuses unknown sources', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(ipAllowed(['127.0.0.1'], '::ffff:127.0.0.1')).toBe(true);
    expect(ipAllowed(['127.0.0.1'], undefined)).toBe(false);
    expect(ipAllowed(['127.0.0.1'], 'not-an-ip')).toBe(false);
  });
});
