import { describe, expect, it } from 'vitest';
import { COMMS_STATUSES, commsStatusRank, isStatusAdvance, nextCommsStatus } from './comms-status.js';

describe('forward-only communication status', () => {
  it('keeps delivered when a late sent arrives', () => {
    expect(nextCommsStatus('delivered', 'sent')).toBe('delivered');
    expect(nextCommsStatus('sent', 'delivered')).toBe('delivered');
  });

  it('moves queued → sending → sent → delivered, never back', () => {
    const path = ['queued', 'sending', 'sent', 'delivered'] as const;
    for (let i = 0; i < path.length; i++) {
      for (let j = 0; j < path.length; j++) expect(isStatusAdvance(path[i]!, path[j]!)).toBe(j > i);
    }
  });

  it('lets no terminal outcome override another', () => {
    const terminal = ['delivered', 'undelivered', 'failed', 'cancelled'] as const;
    for (const a of terminal) for (const b of terminal) expect(nextCommsStatus(a, b)).toBe(a);
  });

  it('ranks an unknown status below every known one', () => {
    expect(commsStatusRank('bogus')).toBe(-1);
    expect(nextCommsStatus('queued', 'bogus')).toBe('queued');
    for (const s of COMMS_STATUSES) expect(commsStatusRank(s)).toBeGreaterThanOrEqual(0);
  });
});
