import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { publicKeyId, unescapePem } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

const readEnv = (path: string) => parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;

describe('careos keys generate', () => {
  it('writes careos.env and partner.env (0600) whose keys work together', async () => {
    const dir = tempDir();
    const result = await runCli(['keys', 'generate', 'businessos', 'live', '--out', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('businessos_live_');

    for (const file of ['careos.env', 'partner.env']) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    const careos = readEnv(join(dir, 'careos.env'));
    const partner = readEnv(join(dir, 'partner.env'));

    expect(careos.CAREOS_PARTNERS).toBe('businessos');
    expect(careos.BUSINESSOS_API_KEY).toMatch(/^businessos_live_[0-9A-Za-z]{32}$/);
    expect(partner.CAREOS_API_KEY).toBe(careos.BUSINESSOS_API_KEY);
    expect(partner.PHONE_HASH_SALT).toBe(careos.BUSINESSOS_PHONE_HASH_SALT);
    expect(partner.PHONE_HASH_SALT).toMatch(/^[0-9a-f]{64}$/);
    expect(partner.CAREOS_PLATFORM).toBe('businessos');
    expect(partner.CAREOS_API_URL).toBe('https://api.careos.app');
    expect(partner.CAREOS_PUBLIC_KEY).toBe(careos.CAREOS_PUBLIC_KEY);

    // The partner's public key encrypts what the CareOS private key decrypts (RSA-OAEP, SHA-256).
    const publicKey = createPublicKey(unescapePem(partner.CAREOS_PUBLIC_KEY!));
    const privateKey = createPrivateKey(unescapePem(careos.CAREOS_PRIVATE_KEY!));
    const sealed = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('+14155550100'));
    const opened = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sealed);
    expect(opened.toString()).toBe('+14155550100');
    expect(partner.CAREOS_KEY_ID).toBe(publicKeyId(publicKey));
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('--json prints the same values it writes, and --bits sets the modulus', async () => {
    const dir = tempDir();
    const result = await runCli(['keys', 'generate', 'acme', 'test', '--out', dir, '--bits', '3072', '--json', '--api-url', 'http://127.0.0.1:8000']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ partner: 'acme', environment: 'test', bits: 3072, apiUrl: 'http://127.0.0.1:8000' });
    expect(json.apiKey).toMatch(/^acme_test_[0-9A-Za-z]{32}$/);
    expect(createPrivateKey(json.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    const partner = readEnv(join(dir, 'partner.env'));
    expect(partner.CAREOS_API_KEY).toBe(json.apiKey);
    expect(partner.CAREOS_KEY_ID).toBe(json.keyId);
    expect(partner.CAREOS_API_URL).toBe('http://127.0.0.1:8000');
    expect(json.files).toEqual({ careos: join(dir, 'careos.env'), partner: join(dir, 'partner.env') });
  });

  it('refuses to overwrite without --force, and --no-files writes nothing', async () => {
    const dir = tempDir();
    expect((await runCli(['keys', 'generate', 'businessos', 'live', '--out', dir])).code).toBe(0);
    const before = readFileSync(join(dir, 'careos.env'), 'utf8');
    const again = await runCli(['keys', 'generate', 'businessos', 'live', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('Refusing to overwrite');
    expect(readFileSync(join(dir, 'careos.env'), 'utf8')).toBe(before);
    expect((await runCli(['keys', 'generate', 'businessos', 'live', '--out', dir, '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'careos.env'), 'utf8')).not.toBe(before);

    const empty = tempDir();
    const printed = await runCli(['keys', 'generate', 'businessos', 'test', '--out', empty, '--no-files', '--json']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout).files).toBeNull();
    // Test keys belong to a local sandbox: without --api-url, partner.env points there, so
    // `careos auth login --env-file partner.env` checks the key against the local server.
    expect(JSON.parse(printed.stdout).apiUrl).toBe('http://127.0.0.1:8000');
    expect(existsSync(join(empty, 'careos.env'))).toBe(false);
  });

  it.each([
    [['keys', 'generate', 'Business OS', 'live'], 'Invalid partner'],
    [['keys', 'generate', 'businessos', 'prod'], 'Invalid env'],
    [['keys', 'generate', 'businessos', 'live', '--bits', '1024'], 'must be one of 2048, 3072, 4096'],
    [['keys', 'generate', 'businessos'], "missing required argument 'env'"],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('prints next steps that run as written: --env with the path of each file', async () => {
    const cwd = tempDir();
    const result = await runCli(['keys', 'generate', 'businessos', 'test', '--out', 'keys'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('careos server start --env keys/careos.env');
    const partnerLine = /careos lead send --env (\S+) \.\.\./.exec(result.stdout);
    expect(partnerLine?.[1]).toBe('keys/partner.env');
    const lead = ['--phone', '+14155550123', '--name', 'Ada', '--country', 'US', '--category', 'healthcare', '--message', 'hi', '--consent', '--value', '15'];
    const sent = await runCli(['lead', 'send', '--env', partnerLine![1]!, ...lead, '--dry-run', '--json'], { cwd });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
  });
});

