import { describe, expect, it } from 'vitest';
import { isStatusAdvance } from '@careos/contract';
import { statusOfSendGrid, statusOfTwilio } from './delivery-status.js';

describe('delivery status', () => {
  it('only moves forward: a late sent after delivered changes nothing, the first outcome stands', () => {
    expect(isStatusAdvance('sent', 'delivered')).toBe(true);
    expect(isStatusAdvance('sending', 'sent')).toBe(true);
    expect(isStatusAdvance('queued', 'delivered')).toBe(true);
    expect(isStatusAdvance('delivered', 'sent')).toBe(false);
    expect(isStatusAdvance('delivered', 'undelivered')).toBe(false);
    expect(isStatusAdvance('failed', 'delivered')).toBe(false);
    expect(isStatusAdvance('sent', 'sent')).toBe(false);
  });

  it('never touches a cancelled or inbound message', () => {
    expect(isStatusAdvance('cancelled', 'delivered')).toBe(false);
    expect(isStatusAdvance('received', 'delivered')).toBe(false);
  });

  it('maps the providers’ vocabularies', () => {
    expect(['queued', 'sent', 'delivered', 'undelivered', 'failed', 'received'].map(statusOfTwilio)).toEqual(['sending', 'sent', 'delivered', 'undelivered', 'failed', null]);
    expect(['processed', 'deferred', 'delivered', 'bounce', 'dropped', 'open', 'spamreport'].map(statusOfSendGrid)).toEqual(['sent', 'sent', 'delivered', 'undelivered', 'failed', null, null]);
  });
});
