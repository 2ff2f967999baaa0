/**
 * How an SMS body will travel: GSM-7 when every character is in the GSM 03.38 alphabet
 * (extension characters such as `€` or `{` take two septets), UCS-2 otherwise. Carriers bill
 * per segment, so the count is reported before anything is sent.
 */

/** The character set a body is sent in. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** Encoding and size of one SMS body (see {@link smsSegments}). */
export interface SmsSegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the body takes. */
  units: number;
  /** Segments the message is split into; at least 1. */
  segments: number;
}

/** Longest body accepted, in segments: a longer text belongs in an email or a link. */
export const MAX_SMS_SEGMENTS = 10;

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Sent as ESC + character: two septets each. */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** One segment alone, then the per-segment size once a user data header takes its share. */
const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

/**
 * Encoding, size and segment count of an SMS body. Multi-part messages are packed as phones
 * and carriers pack them: an escape pair (GSM-7) or a surrogate pair (UCS-2) is never split
 * across two segments, so a count can be one higher than a plain division.
 *
 * @example
 * smsSegments('Hello'); // { encoding: 'GSM-7', units: 5, segments: 1 }
 * smsSegments('Hi 👋'); // { encoding: 'UCS-2', units: 5, segments: 1 }
 */
export function smsSegments(body: string): SmsSegmentInfo {
  const chars = Array.from(body);
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  // Width of each character in this encoding's units; neither kind of pair may straddle a segment.
  const widths = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = widths.reduce((sum, w) => sum + w, 0);
  const { single, multi } = LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > multi) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments };
}
