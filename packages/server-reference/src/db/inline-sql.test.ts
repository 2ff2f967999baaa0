import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inlineSql, sqlLiteral } from './inline-sql.js';
import { textArray } from './sql-arrays.js';

describe('inlineSql', () => {
  it('quotes strings by doubling quotes, and renders other values as literals', () => {
    expect(sqlLiteral("O'Brien \\ $1")).toBe("'O''Brien \\ $1'");
    expect(sqlLiteral(null)).toBe('null');
    expect(sqlLiteral(12.5)).toBe('12.5');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(new Date('2025-01-08T12:00:00Z'))).toBe("'2025-01-08T12:00:00.000Z'");
    expect(() => sqlLiteral('a\u0000b')).toThrow();
    expect(() => sqlLiteral(Number.NaN)).toThrow();
  });

  it('replaces each placeholder once, never inside an inlined value', () => {
    const text = inlineSql(sql`select ${'$2'}::text, ${"it's"}::text, ${3}::int`);
    expect(text).toBe("select '$2'::text, 'it''s'::text, 3::int");
  });

  it('builds array literals only from safe values', () => {
    expect(textArray(['lead_01ab', '+14155550100'])).toBe('{lead_01ab,+14155550100}');
    expect(() => textArray(['a,b'])).toThrow();
    expect(() => textArray(['"x"'])).toThrow();
  });
});
