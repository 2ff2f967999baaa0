import { describe, expect, it } from 'vitest';
import { smsKeyword } from './sms-keywords.js';

describe('smsKeyword', () => {
  it('reads the opt-out, opt-in and help keywords in any case, trimmed', () => {
    for (const body of ['STOP', 'stop', ' Stop \n', 'STOPALL', 'unsubscribe', 'End', 'QUIT', 'cancel', 'Stop.']) expect(smsKeyword(body), body).toBe('opt_out');
    for (const body of ['START', 'unstop', 'Yes']) expect(smsKeyword(body), body).toBe('opt_in');
    for (const body of ['HELP', ' help ']) expect(smsKeyword(body), body).toBe('help');
  });

  it('takes a message that only contains a keyword as a message', () => {
    for (const body of ['Stop texting me', 'please stop', 'STOP STOP', 'yes please', '', 'st op', 'STOPP']) expect(smsKeyword(body), body).toBeNull();
  });
});
