import { describe, expect, it } from 'vitest';
import { v1Signatures } from './signature-header.js';

const sig = Buffer.alloc(32, 7).toString('base64');

describe('v1Signatures', () => {
  it('keeps v1 entries in order and skips other versions', () => {
    expect(v1Signatures(`v1,${sig}`)).toEqual([sig]);
    expect(v1Signatures(`v1a,xyz v1,${sig} v2,abc v1,second`)).toEqual([sig, 'second']);
    expect(v1Signatures(`v1,${sig}, v1,second`)).toEqual([sig, 'second']);
  });

  it('fails with NO_V1_SIGNATURE when none is there', () => {
    expect(() => v1Signatures('v2,abc')).toThrow(expect.objectContaining({ code: 'NO_V1_SIGNATURE' }));
    expect(() => v1Signatures(sig)).toThrow(expect.objectContaining({ code: 'NO_V1_SIGNATURE' }));
  });
});
