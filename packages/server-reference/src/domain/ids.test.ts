import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, page } from './cursor.js';
import { DomainError } from './errors.js';
import { idBody, isId, newId } from './ids.js';

describe('ids', () => {
  it('are the prefix and 26 lower-case Crockford characters', () => {
    const id = newId('lead');
    expect(id).toMatch(/^lead_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(isId('lead', id)).toBe(true);
    expect(isId('user', id)).toBe(false);
    expect(isId('lead', 'lead_ABC')).toBe(false);
  });

  it('sort in creation order, also within one millisecond and when the clock steps back', () => {
    const at = new Date('2025-01-08T12:00:00Z');
    const ids = Array.from({ length: 1000 }, () => newId('msg', at));
    ids.push(newId('msg', new Date('2020-01-01T00:00:00Z')));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encode the time first', () => {
    const earlier = idBody(Date.parse('2031-01-01T00:00:00Z'));
    const later = idBody(Date.parse('2032-01-01T00:00:00Z'));
    expect(later > earlier).toBe(true);
    expect(later.slice(0, 10)).not.toBe(earlier.slice(0, 10));
  });
});

describe('cursors', () => {
  it('round-trip and refuse anything else', () => {
    const id = newId('pay');
    expect(decodeCursor(encodeCursor(id), 'pay')).toBe(id);
    expect(() => decodeCursor(encodeCursor(id), 'lead')).toThrow(DomainError);
    expect(() => decodeCursor('not-a-cursor', 'pay')).toThrow(DomainError);
  });

  it('cut a page and point past its last item', () => {
    const rows = [{ id: 'lead_3' }, { id: 'lead_2' }, { id: 'lead_1' }];
    expect(page(rows, 2)).toEqual({ items: rows.slice(0, 2), nextCursor: encodeCursor('lead_2') });
    expect(page(rows, 3)).toEqual({ items: rows, nextCursor: null });
  });
});
