import { describe, expect, it } from 'vitest';
import { MAX_SMS_SEGMENTS, smsSegments } from './sms-segments.js';

describe('smsSegments', () => {
  it('keeps a plain GSM-7 body to one segment up to 160 septets', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters as two septets and never splits their escape', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(smsSegments('{'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    // 152 plain septets then '€': the pair would straddle septet 153, so it opens segment two.
    const straddling = smsSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`);
    expect(straddling).toEqual({ encoding: 'GSM-7', units: 164, segments: 2 });
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
  });

  it('switches the whole body to UCS-2 for one character outside GSM-7', () => {
    expect(smsSegments('Café')).toEqual({ encoding: 'GSM-7', units: 4, segments: 1 });
    expect(smsSegments('Olá')).toEqual({ encoding: 'UCS-2', units: 3, segments: 1 });
    expect(smsSegments('Cześć')).toEqual({ encoding: 'UCS-2', units: 5, segments: 1 });
    expect(smsSegments('ą'.repeat(70)).segments).toBe(1);
    expect(smsSegments('ą'.repeat(71)).segments).toBe(2);
    expect(smsSegments('ą'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ą'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units and keeps its surrogate pair in one segment', () => {
    expect(smsSegments('👋')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    // 66 units then an emoji: it does not fit in unit 67 alone, so segment two starts with it.
    expect(smsSegments(`${'ą'.repeat(66)}👋${'ą'.repeat(3)}`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments(`${'ą'.repeat(66)}👋${'ą'.repeat(66)}`).segments).toBe(3);
  });

  it('puts the ten-segment limit at 1,530 GSM-7 septets', () => {
    expect(smsSegments('a'.repeat(153 * MAX_SMS_SEGMENTS)).segments).toBe(10);
    expect(smsSegments('a'.repeat(153 * MAX_SMS_SEGMENTS + 1)).segments).toBe(11);
  });
});
