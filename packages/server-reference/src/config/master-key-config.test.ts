import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const OTHER = Buffer.alloc(32, 4).toString('base64');

function problemsOf(env: NodeJS.ProcessEnv, options?: { providerGiven?: boolean }): string[] {
  try {
    loadConfig(env, options);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('master key configuration', () => {
  it('reads CAREOS_MASTER_KEY, or a key file named by CAREOS_MASTER_KEY_FILE, as 32 bytes of base64', () => {
    const inline = loadConfig({ CAREOS_MASTER_KEY: KEY }).masterKey!;
    expect(inline.source).toBe('CAREOS_MASTER_KEY');
    expect(inline.key.export()).toEqual(Buffer.alloc(32, 9));
    const dir = mkdtempSync(join(tmpdir(), 'careos-mk-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'master.key');
    writeFileSync(file, `${KEY}\n`, { mode: 0o600 });
    const fromFile = loadConfig({ CAREOS_MASTER_KEY_FILE: file }).masterKey!;
    expect(fromFile.source).toBe('CAREOS_MASTER_KEY_FILE');
    expect(fromFile.key.export()).toEqual(Buffer.alloc(32, 9));
    expect(loadConfig({}).masterKey).toBeNull();
  });

  it('keeps CAREOS_DATA_KEY working: as the master key when it is alone, else only to read old webhook secrets', () => {
    const alone = loadConfig({ CAREOS_DATA_KEY: OTHER });
    expect(alone.masterKey?.source).toBe('CAREOS_DATA_KEY');
    expect(alone.legacyDataKey).toEqual(Buffer.alloc(32, 4));
    const both = loadConfig({ CAREOS_MASTER_KEY: KEY, CAREOS_DATA_KEY: OTHER });
    expect(both.masterKey?.source).toBe('CAREOS_MASTER_KEY');
    expect(both.legacyDataKey).toEqual(Buffer.alloc(32, 4));
  });

  it('collects every problem without ever quoting a key', () => {
    const secretLooking = 'c2VjcmV0LXZhbHVlLXRoYXQtaXMtdG9vLXNob3J0';
    const problems = problemsOf({ CAREOS_MASTER_KEY: secretLooking, CAREOS_RATE_LIMIT_LEADS: 'lots' });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => /^CAREOS_MASTER_KEY must be 32 random bytes in base64/.test(p))).toBe(true);
    expect(problems.join('\n')).not.toContain(secretLooking);
    expect(problemsOf({ CAREOS_MASTER_KEY: KEY, CAREOS_MASTER_KEY_FILE: '/nowhere' })).toEqual(['CAREOS_MASTER_KEY and CAREOS_MASTER_KEY_FILE are both set: set only one']);
    expect(problemsOf({ CAREOS_MASTER_KEY_FILE: '/nowhere/master.key' })[0]).toMatch(/cannot read \/nowhere\/master.key \(ENOENT\)/);
  });

  it('refuses production without a master key, unless a provider is given in code', () => {
    const problems = problemsOf({ CAREOS_ENV: 'production' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^CAREOS_MASTER_KEY \(or CAREOS_MASTER_KEY_FILE\) is required when CAREOS_ENV=production/);
    expect(problemsOf({ CAREOS_ENV: 'production' }, { providerGiven: true })).toEqual([]);
    expect(problemsOf({ CAREOS_ENV: 'production', CAREOS_MASTER_KEY: KEY })).toEqual([]);
    expect(problemsOf({ CAREOS_ENV: 'development' })).toEqual([]);
  });
});
