import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../errors.js';
import { secretBase64, secretList } from './secret.js';

const encoded = randomBytes(32).toString('base64');

function failure(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected the secret to be refused');
}

describe('secretBase64', () => {
  it('returns the base64 part, with or without the whsec_ prefix, padded or not', () => {
    expect(secretBase64(`whsec_${encoded}`)).toBe(encoded);
    expect(secretBase64(encoded)).toBe(encoded);
    expect(secretBase64('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(secretBase64('whsec_abc')).toBe('abc');
  });

  it('says where whitespace is, without repeating the secret', () => {
    expect(failure(() => secretBase64(` whsec_${encoded}`)).message).toContain('starts with whitespace');
    expect(failure(() => secretBase64(`whsec_${encoded}\n`)).message).toContain('ends with whitespace');
    const inside = failure(() => secretBase64(`whsec_${encoded.slice(0, 20)}\n${encoded.slice(20)}`));
    expect(inside.code).toBe('SECRET_WHITESPACE');
    expect(inside.message).toContain('contains whitespace');
    expect(inside.message).not.toContain(encoded.slice(0, 20));
  });

  it('spots a v1, signature prefix pasted in front of the secret', () => {
    const error = failure(() => secretBase64(`v1,whsec_${encoded}`));
    expect(error.code).toBe('SECRET_HAS_V1_PREFIX');
    expect(error.message).toContain("starts with 'v1,'");
    expect(failure(() => secretBase64(`v1,${encoded}`)).code).toBe('SECRET_HAS_V1_PREFIX');
  });

  it('refuses text that is not base64, or that decoders would disagree about', () => {
    for (const bad of ['whsec_', 'whsec_abc-def_ghi', 'sk_live_abcdef', 'whsec_abcde', 'whsec_ab=', 'whsec_a==', 'whsec_ab=c', 'whsec_abcd===']) {
      expect(failure(() => secretBase64(bad)).code, bad).toBe('INVALID_SECRET');
    }
    expect(failure(() => secretBase64('whsec_abc-def')).message).toContain('not whsec_ followed by base64');
  });

  it('says what came instead of a secret', () => {
    expect(failure(() => secretBase64(undefined)).message).toContain('got undefined');
    expect(failure(() => secretBase64('')).message).toContain('got an empty string');
    expect(failure(() => secretBase64(42)).message).toContain('got number');
  });
});

describe('secretList', () => {
  it('lists one secret or several, and refuses an empty list', () => {
    expect(secretList('whsec_abcd')).toEqual(['whsec_abcd']);
    expect(secretList(['whsec_abcd', 'whsec_efgh'])).toEqual(['whsec_abcd', 'whsec_efgh']);
    expect(failure(() => secretList([])).message).toContain('empty list');
    expect(failure(() => secretList(undefined as unknown as string)).message).toContain('got undefined');
  });
});
