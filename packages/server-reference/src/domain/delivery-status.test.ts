import { describe, expect, it } from 'vitest';
import { advancesStatus, statusOfSendGrid, statusOfTwilio } from './delivery-status.js';

describe('delivery status', () => {
  it('only moves forward: a late sent after delivered changes nothing, the first outcome stands', () => {
    expect(advancesStatus('sent', 'delivered')).toBe(true);
    expect(advancesStatus('sending', 'sent')).toBe(true);
    expect(advancesStatus('queued', 'delivered')).toBe(true);
    expect(advancesStatus('delivered', 'sent')).toBe(false);
    expect(advancesStatus('delivered', 'undelivered')).toBe(false);
    expect(advancesStatus('failed', 'delivered')).toBe(false);
    expect(advancesStatus('sent', 'sent')).toBe(false);
  });

  it('never touches a cancelled or inbound message', () => {
    expect(advancesStatus('cancelled', 'delivered')).toBe(false);
    expect(advancesStatus('received', 'delivered')).toBe(false);
  });

  it('maps the providers’ vocabularies', () => {
    expect(['queued', 'sent', 'delivered', 'undelivered', 'failed', 'received'].map(statusOfTwilio)).toEqual(['sending', 'sent', 'delivered', 'undelivered', 'failed', null]);
    expect(['processed', 'deferred', 'delivered', 'bounce', 'dropped', 'open', 'spamreport'].map(statusOfSendGrid)).toEqual(['sent', 'sent', 'delivered', 'undelivered', 'failed', null, null]);
  });
});
