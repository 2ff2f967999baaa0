import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bytesOf, hashInput, textOf } from './payload.js';

describe('hashInput', () => {
  it('keeps strings and byte views as they are, without copying', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    expect(hashInput('text')).toBe('text');
    expect(hashInput(bytes)).toBe(bytes);
    const fromBuffer = hashInput(bytes.buffer) as Uint8Array;
    expect(fromBuffer.buffer).toBe(bytes.buffer);
    const view = hashInput(new DataView(bytes.buffer, 1, 2)) as Uint8Array;
    expect([...view]).toEqual([2, 3]);
    expect(view.buffer).toBe(bytes.buffer);
  });

  it('accepts an ArrayBuffer made in another realm', () => {
    const foreign = runInNewContext('new Uint8Array([104, 105]).buffer') as ArrayBuffer;
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(textOf(hashInput(foreign))).toBe('hi');
  });

  it('tells a parsed body apart from a missing or wrong one', () => {
    expect(() => hashInput({ type: 'payment.paid' })).toThrow(expect.objectContaining({ code: 'PAYLOAD_PARSED' }));
    expect(() => hashInput([1])).toThrow(expect.objectContaining({ code: 'PAYLOAD_PARSED' }));
    expect(() => hashInput(undefined)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('got undefined') }));
    expect(() => hashInput(true)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('got a boolean') }));
  });
});

describe('textOf / bytesOf', () => {
  it('convert between UTF-8 text and bytes', () => {
    expect(textOf(new TextEncoder().encode('café'))).toBe('café');
    expect([...bytesOf('é')]).toEqual([0xc3, 0xa9]);
  });
});
