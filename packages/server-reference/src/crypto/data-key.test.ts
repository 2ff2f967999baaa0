import { describe, expect, it } from 'vitest';
import { readDataKey, readRetrySchedule } from '../config/webhook-config.js';
import { DataKey, WrongKeyError } from './data-key.js';

describe('DataKey', () => {
  const key = DataKey.generate();
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('round-trips, with a fresh IV every time and nothing of the plaintext visible', () => {
    const a = key.encrypt(secret, 'webhook_endpoint:whep_1');
    const b = key.encrypt(secret, 'webhook_endpoint:whep_1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('MfKQ9r8');
    expect(a.startsWith(`v1.${key.id}.`)).toBe(true);
    expect(key.decrypt(a, 'webhook_endpoint:whep_1')).toBe(secret);
  });

  it('refuses another context, another key, and tampering', () => {
    const sealed = key.encrypt(secret, 'webhook_endpoint:whep_1');
    expect(() => key.decrypt(sealed, 'webhook_endpoint:whep_2')).toThrow();
    expect(() => DataKey.generate().decrypt(sealed, 'webhook_endpoint:whep_1')).toThrow(WrongKeyError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => key.decrypt(parts.join('.'), 'webhook_endpoint:whep_1')).toThrow();
  });

  it('survives being stored as base64', () => {
    const again = DataKey.fromBase64(key.toBase64());
    expect(again.id).toBe(key.id);
    expect(again.decrypt(key.encrypt('x', 'c'), 'c')).toBe('x');
  });
});

describe('webhook configuration', () => {
  it('reads CAREOS_DATA_KEY as 32 bytes of base64', () => {
    const problems: string[] = [];
    expect(readDataKey(Buffer.alloc(32, 7).toString('base64'), problems)).toEqual(Buffer.alloc(32, 7));
    expect(readDataKey(undefined, problems)).toBeNull();
    expect(problems).toEqual([]);
    readDataKey(Buffer.alloc(16).toString('base64'), problems);
    readDataKey('not base64!', problems);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('CAREOS_DATA_KEY');
  });

  it('reads CAREOS_WEBHOOK_RETRY_SCHEDULE in seconds, decimals allowed, within 20 h in total', () => {
    const problems: string[] = [];
    expect(readRetrySchedule(undefined, problems)).toEqual([0, 300_000, 1_800_000, 7_200_000, 43_200_000]);
    expect(readRetrySchedule('0, 0.05,1', problems)).toEqual([0, 50, 1000]);
    expect(problems).toEqual([]);
    for (const bad of ['', '1,,2', '-1', 'abc', '0,1,2,3,4,5,6,7,8,9,10', '0,50000,50000']) readRetrySchedule(bad, problems);
    expect(problems).toHaveLength(6);
  });
});
