import { describe, expect, it } from 'vitest';
import { getHeader, legacyHeaders, standardHeaders } from './headers.js';

describe('getHeader', () => {
  it('reads lower-case, other-case, repeated and Fetch headers', () => {
    expect(getHeader({ 'webhook-id': 'a' }, 'webhook-id')).toBe('a');
    expect(getHeader({ 'Webhook-ID': 'b' }, 'webhook-id')).toBe('b');
    expect(getHeader({ 'webhook-signature': ['v1,x', 'v1,y'] }, 'webhook-signature')).toBe('v1,x v1,y');
    expect(getHeader(new Headers({ 'Webhook-Id': 'c' }), 'webhook-id')).toBe('c');
    expect(getHeader(new Headers(), 'webhook-id')).toBeUndefined();
    expect(getHeader({ 'webhook-idx': 'no' }, 'webhook-id')).toBeUndefined();
  });
});

describe('standardHeaders', () => {
  it('returns all three, or names exactly the missing ones', () => {
    expect(standardHeaders({ 'webhook-id': 'i', 'webhook-timestamp': 't', 'webhook-signature': 's' })).toEqual({ id: 'i', timestamp: 't', signature: 's' });
    expect(() => standardHeaders({ 'webhook-id': 'i', 'webhook-timestamp': '' })).toThrow('Missing the webhook-timestamp, webhook-signature headers.');
  });
});

describe('legacyHeaders', () => {
  it('reads X-CareOS-* first, then the seed X-LoveRescue-* names, each header on its own', () => {
    expect(legacyHeaders({ 'x-careos-signature': 'a', 'x-loverescue-signature': 'b', 'x-loverescue-timestamp': 't' })).toEqual({ signature: 'a', timestamp: 't', event: undefined });
    expect(legacyHeaders({ 'X-LoveRescue-Signature': 'b', 'X-LoveRescue-Timestamp': 't', 'X-LoveRescue-Event': 'e' })).toEqual({ signature: 'b', timestamp: 't', event: 'e' });
  });

  it('names both accepted names of a missing header', () => {
    expect(() => legacyHeaders({ 'x-careos-signature': 'a' })).toThrow('Missing the X-CareOS-Timestamp (or X-LoveRescue-Timestamp) header.');
  });
});
