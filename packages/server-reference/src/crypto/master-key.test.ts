import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DataKeyRing } from './data-key-ring.js';
import { DataKey } from './data-key.js';
import { ensureMasterKeyFile, masterKeyFileFor, readMasterKeyFile, replaceMasterKeyFile } from './master-key-file.js';
import { LocalMasterKey, MasterKeyError } from './master-key.js';

describe('LocalMasterKey', () => {
  const master = LocalMasterKey.generate('test key');
  const dek = randomBytes(32);

  it('wraps a data key so that only the same key and context unwrap it', async () => {
    const wrapped = await master.wrap(dek, 'data_keys.wrapped_key:abc');
    expect(wrapped).not.toContain(dek.toString('base64'));
    expect(wrapped).not.toContain(dek.toString('base64url'));
    expect(await master.unwrap(wrapped, 'data_keys.wrapped_key:abc')).toEqual(dek);
    // Associated data: the same wrapped key presented as another row's does not unwrap.
    await expect(master.unwrap(wrapped, 'data_keys.wrapped_key:abd')).rejects.toThrow(MasterKeyError);
  });

  it('says clearly when another master key wrapped it, naming the key it has and where it came from', async () => {
    const wrapped = await master.wrap(dek, 'ctx');
    const other = LocalMasterKey.generate('CAREOS_MASTER_KEY');
    const error = (await other.unwrap(wrapped, 'ctx').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain('wrapped by another master key');
    expect(error.message).toContain(other.id);
    expect(error.message).toContain('CAREOS_MASTER_KEY');
  });

  it('has a stable id that reveals nothing of the key, and prints nothing of it', () => {
    const bytes = randomBytes(32);
    const a = new LocalMasterKey(bytes, 'a');
    expect(new LocalMasterKey(bytes, 'b').id).toBe(a.id);
    expect(a.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(a.id).not.toBe(LocalMasterKey.generate('c').id);
    expect(inspect(a)).not.toContain(bytes.toString('base64'));
    expect(inspect(a)).not.toContain(bytes.toString('hex'));
  });

  it('reads base64 text and names the source, never the value, when it is wrong', () => {
    const text = randomBytes(32).toString('base64');
    expect(LocalMasterKey.fromBase64(`  ${text}\n`, 'x').toBase64()).toBe(text);
    const short = randomBytes(16).toString('base64');
    expect(() => LocalMasterKey.fromBase64(short, 'CAREOS_MASTER_KEY')).toThrow(/^CAREOS_MASTER_KEY must be 32 random bytes in base64/);
    expect(() => LocalMasterKey.fromBase64(short, 'CAREOS_MASTER_KEY')).not.toThrow(short);
  });
});

describe('DataKeyRing', () => {
  it('encrypts with the active key and decrypts with whichever key a value names', () => {
    const old = DataKey.generate();
    const current = DataKey.generate();
    const before = new DataKeyRing(old).encrypt('jwt', 'settings.value:jwt_secret');
    const ring = new DataKeyRing(current, [old]);
    const after = ring.encrypt('jwt', 'settings.value:jwt_secret');
    expect(DataKey.keyIdOf(after)).toBe(current.id);
    expect(ring.decrypt(before, 'settings.value:jwt_secret')).toBe('jwt');
    expect(ring.decrypt(after, 'settings.value:jwt_secret')).toBe('jwt');
    expect(() => ring.decrypt(after, 'settings.value:integration_jwt_secret')).toThrow(/does not authenticate for settings.value:integration_jwt_secret/);
    expect(() => new DataKeyRing(DataKey.generate()).decrypt(after, 'settings.value:jwt_secret')).toThrow(new RegExp(`data key ${current.id}, which is not among`));
    expect(() => ring.decrypt('-----BEGIN PRIVATE KEY-----', 'settings.value:x')).toThrow(/not an encrypted value/);
  });
});

describe('master key file', () => {
  it('lives beside the data directory, not in it', () => {
    expect(masterKeyFileFor('/srv/careos/data')).toBe('/srv/careos/data.master.key');
    expect(masterKeyFileFor('/srv/careos/data/')).toBe('/srv/careos/data.master.key');
  });

  it('is created once, 0600, and concurrent creators agree on one key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'careos-mkf-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'nested', 'data.master.key');
    const results = await Promise.all([ensureMasterKeyFile(path), ensureMasterKeyFile(path), ensureMasterKeyFile(path)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.key.id)).size).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await readMasterKeyFile(path)).id).toBe(results[0]!.key.id);

    const next = LocalMasterKey.generate('next');
    await replaceMasterKeyFile(path, next);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(next.toBase64());
    expect((await ensureMasterKeyFile(path)).key.id).toBe(next.id);
  });
});
