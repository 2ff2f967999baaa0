import { describe, expect, it } from 'vitest';
import { BlindIndex } from './blind-index.js';

describe('BlindIndex', () => {
  const index = BlindIndex.generate();

  it('gives the same fixed-length token for the same value, so an equality index can find it', () => {
    const token = index.phone('+390622224444');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(index.phone('+390622224444')).toBe(token);
    expect(index.phone('+390622224445')).not.toBe(token);
    expect(token).not.toContain('0622224444');
  });

  it('depends on the key and on the kind of value', () => {
    expect(BlindIndex.generate().phone('+390622224444')).not.toBe(index.phone('+390622224444'));
    expect(index.token('email', '+390622224444')).not.toBe(index.token('phone', '+390622224444'));
    const again = BlindIndex.fromBase64(index.toBase64());
    expect(again.id).toBe(index.id);
    expect(again.phone('+14155550123')).toBe(index.phone('+14155550123'));
  });

  it('takes phones only in E.164 and compares emails without case or spaces', () => {
    expect(() => index.phone('+39 06 2222 4444')).toThrow(/E\.164/);
    expect(() => index.phone('0622224444')).toThrow(/E\.164/);
    expect(index.email('  Admin@CareOS.local ')).toBe(index.email('admin@careos.local'));
    expect(index.phoneOrNull(null)).toBeNull();
  });
});
