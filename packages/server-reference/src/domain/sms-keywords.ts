/**
 * The carrier keywords of SMS in the US and Canada (CTIA guidelines; Twilio applies the same
 * list to its Advanced Opt-Out): the whole message, trimmed and in any case, is the keyword.
 * "Stop texting me" is a message, not a keyword.
 */

/** What an inbound SMS asks for. */
export type SmsKeyword = 'opt_out' | 'opt_in' | 'help' | null;

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);
const HELP = new Set(['HELP', 'INFO']);

/** The keyword an inbound SMS body is, or `null` for any other text. */
export function smsKeyword(body: string): SmsKeyword {
  // Trailing punctuation is common from phones ("Stop.", "STOP!") and carriers honour it too.
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (HELP.has(word)) return 'help';
  return null;
}
