import { describe, expect, it } from 'vitest';
import { clients, leads, staffUsers } from '../db/schema/index.js';
import { DataKey } from './data-key.js';
import { FieldCipher, FieldDecryptionError, fieldAad } from './field-cipher.js';

describe('FieldCipher', () => {
  const key = DataKey.generate();
  const cipher = new FieldCipher(key);

  it('round-trips with a fresh IV every time, naming the key, showing nothing of the value', () => {
    const a = cipher.seal(staffUsers.nameEnc, 'Antonio Dorato');
    const b = cipher.seal(staffUsers.nameEnc, 'Antonio Dorato');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Antonio');
    expect(a.split('.')[1]).toBe(key.id);
    expect(cipher.currentKeyId).toBe(key.id);
    expect(cipher.open(staffUsers.nameEnc, a)).toBe('Antonio Dorato');
    expect(cipher.openJson(leads.contentEnc, cipher.sealJson(leads.contentEnc, { urgency: 'high', notes: ['a'] }))).toEqual({ urgency: 'high', notes: ['a'] });
    expect(cipher.sealOrNull(staffUsers.nameEnc, null)).toBeNull();
    expect(cipher.openOrNull(staffUsers.nameEnc, null)).toBeNull();
  });

  it('binds each value to its table and column: a drizzle column and its name are the same field', () => {
    expect(fieldAad(staffUsers.nameEnc).toString()).toBe('staff_users.name_enc');
    const sealed = cipher.seal('staff_users.name_enc', 'Giulia');
    expect(cipher.open(staffUsers.nameEnc, sealed)).toBe('Giulia');
    // The same value copied into another column, or the same column name of another table, does not open.
    expect(() => cipher.open(clients.firstNameEnc, sealed)).toThrow(FieldDecryptionError);
    expect(() => cipher.open('patients.name_enc', sealed)).toThrow(/authentication failed/);
  });

  it('refuses any change to the IV, the tag or the data, and says where without saying what', () => {
    const sealed = cipher.seal(staffUsers.emailEnc, 'maria.rossi@example.org');
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      altered[index] = bytes.toString('base64url');
      expect(() => cipher.open(staffUsers.emailEnc, altered.join('.'))).toThrow(FieldDecryptionError);
    }
    // A truncated tag is refused too (GCM would otherwise accept a shorter, weaker one).
    const short = [...parts];
    short[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, 8).toString('base64url');
    expect(() => cipher.open(staffUsers.emailEnc, short.join('.'))).toThrow(FieldDecryptionError);
    const failure = (() => {
      try {
        cipher.open(staffUsers.emailEnc, `${parts.slice(0, 4).join('.')}.AAAA`);
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    expect(failure?.message).toContain('staff_users.email_enc');
    expect(failure?.message).not.toContain('maria');
    expect(() => cipher.open(staffUsers.emailEnc, 'maria.rossi@example.org')).toThrow(/not a ciphertext/);
  });

  it('opens values of every key it holds and seals with the current one (key rotation)', () => {
    const old = cipher.seal(staffUsers.nameEnc, 'Marco');
    const next = DataKey.generate();
    const rotated = new FieldCipher(next, [key, next]);
    expect(rotated.keyIds.sort()).toEqual([key.id, next.id].sort());
    expect(rotated.open(staffUsers.nameEnc, old)).toBe('Marco');
    const fresh = rotated.seal(staffUsers.nameEnc, 'Marco');
    expect(fresh.split('.')[1]).toBe(next.id);
    // A server without the new key names the key it lacks.
    expect(() => cipher.open(staffUsers.nameEnc, fresh)).toThrow(new RegExp(`key ${next.id}`));
  });
});
