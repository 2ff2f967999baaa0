import { randomFillSync } from 'node:crypto';

/** Every id prefix the API hands out. */
export type IdPrefix = 'lead' | 'user' | 'pay' | 'po' | 'ptn' | 'key' | 'msg' | 'alrt' | 'aud' | 'staff' | 'req' | 'whep' | 'whmsg' | 'whatt'
  // integration API
  | 'ipt' | 'ikey' | 'thr' | 'cli' | 'lnk' | 'cpl' | 'mtch' | 'asmt' | 'task' | 'talrt' | 'jrnl' | 'rpt'
  // CCaaS lookup
  | 'lkey'
  // staff sessions
  | 'rtok' | 'sess'
  // calendars
  | 'cal' | 'cev' | 'ccev' | 'cpush'
  // care operations
  | 'inv' | 'bkg'
  // communications: one bulk send
  | 'batch'
  // delivery reports and replies from the SMS and email providers
  | 'mev';

/** Crockford base32 in lower case: no i, l, o, u, so ids read unambiguously. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const ID_BODY = new RegExp(`^[${ALPHABET}]{${TIME_LENGTH + RANDOM_LENGTH}}$`);

// Random bytes are drawn from a pool so that a burst of ids costs one syscall, not one each.
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;
function randomDigits(out: number[]): void {
  if (poolOffset + RANDOM_LENGTH > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  for (let i = 0; i < RANDOM_LENGTH; i++) out[i] = pool[poolOffset + i]! & 31;
  poolOffset += RANDOM_LENGTH;
}

let lastTime = -1;
const lastRandom: number[] = new Array<number>(RANDOM_LENGTH).fill(0);

/** Adds one to the random part; returns false when it overflowed (all digits were 31). */
function incrementRandom(): boolean {
  for (let i = RANDOM_LENGTH - 1; i >= 0; i--) {
    if (lastRandom[i]! < 31) {
      lastRandom[i]! += 1;
      return true;
    }
    lastRandom[i] = 0;
  }
  return false;
}

/**
 * The 26-character body of an id: 48 bits of milliseconds then 80 random bits, ULID-style.
 * Within one millisecond (or if the clock steps back) the random part is incremented, so ids
 * made by one process always sort in creation order — lists page "newest first" by id alone.
 */
export function idBody(timeMs: number): string {
  let time = Math.floor(timeMs);
  if (time <= lastTime) {
    time = lastTime;
    if (!incrementRandom()) {
      time += 1;
      randomDigits(lastRandom);
    }
  } else {
    randomDigits(lastRandom);
  }
  lastTime = time;
  let timePart = '';
  for (let i = 0; i < TIME_LENGTH; i++) {
    timePart = ALPHABET[time % 32]! + timePart;
    time = Math.floor(time / 32);
  }
  let randomPart = '';
  for (const digit of lastRandom) randomPart += ALPHABET[digit]!;
  return timePart + randomPart;
}

/** A new id such as `lead_01jd3m5x7k...`, time-sortable, 26 characters after the prefix. */
export function newId(prefix: IdPrefix, now: Date = new Date()): string {
  return `${prefix}_${idBody(now.getTime())}`;
}

/** Whether `value` is a well-formed id with the given prefix. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_BODY.test(value.slice(prefix.length + 1));
}
