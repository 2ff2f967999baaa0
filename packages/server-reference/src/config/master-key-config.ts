import { readFileSync } from 'node:fs';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { MasterKeyError, parseMasterKey } from '../crypto/master-key.js';
import type { ServerMode } from './server-config.js';

/** Where a configured master key came from. */
export type MasterKeySource = 'CAREOS_MASTER_KEY' | 'CAREOS_MASTER_KEY_FILE' | 'CAREOS_DATA_KEY';

/** A master key named by the environment (read from `CAREOS_MASTER_KEY`, `CAREOS_MASTER_KEY_FILE` or the deprecated `CAREOS_DATA_KEY`). */
export interface MasterKeyConfig {
  /** The 32 bytes, as a `KeyObject` so that printing the configuration shows nothing of them. */
  key: KeyObject;
  source: MasterKeySource;
  /** For messages: the variable, or the file and the variable naming it; never the key. */
  description: string;
}

/** Options of reading the master key from the environment. */
export interface MasterKeyConfigOptions {
  /** A master key provider is passed in code (say, a cloud KMS), so none is needed from the environment. */
  providerGiven?: boolean;
}

/**
 * `CAREOS_MASTER_KEY` (base64 of 32 bytes), else `CAREOS_MASTER_KEY_FILE` (a file holding
 * that text), else the deprecated `CAREOS_DATA_KEY`. In production one of them (or a provider
 * given in code) is required. Problems are appended to `problems` and never quote a key.
 */
export function readMasterKeyConfig(
  read: (name: string) => string | undefined,
  mode: ServerMode,
  problems: string[],
  options: MasterKeyConfigOptions = {},
): MasterKeyConfig | null {
  const inline = read('CAREOS_MASTER_KEY');
  const file = read('CAREOS_MASTER_KEY_FILE');
  const legacy = read('CAREOS_DATA_KEY');
  if (inline !== undefined && file !== undefined) {
    problems.push('CAREOS_MASTER_KEY and CAREOS_MASTER_KEY_FILE are both set: set only one');
    return null;
  }
  try {
    if (inline !== undefined) return { key: createSecretKey(parseMasterKey(inline, 'CAREOS_MASTER_KEY')), source: 'CAREOS_MASTER_KEY', description: 'CAREOS_MASTER_KEY' };
    if (file !== undefined) {
      const description = `the key file ${file} (CAREOS_MASTER_KEY_FILE)`;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        problems.push(`CAREOS_MASTER_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        return null;
      }
      return { key: createSecretKey(parseMasterKey(text, `CAREOS_MASTER_KEY_FILE (${file})`)), source: 'CAREOS_MASTER_KEY_FILE', description };
    }
    // Earlier versions encrypted webhook secrets directly with CAREOS_DATA_KEY: a deployment
    // that kept that key outside the database keeps working unchanged, the key now wrapping.
    if (legacy !== undefined) return { key: createSecretKey(parseMasterKey(legacy, 'CAREOS_DATA_KEY')), source: 'CAREOS_DATA_KEY', description: 'CAREOS_DATA_KEY (deprecated: rename it CAREOS_MASTER_KEY)' };
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    problems.push(error.message);
    return null;
  }
  if (mode === 'production' && !options.providerGiven) {
    problems.push(
      'CAREOS_MASTER_KEY (or CAREOS_MASTER_KEY_FILE) is required when CAREOS_ENV=production: it wraps the keys that encrypt the secrets kept in the database, and must be kept outside it (generate one with: openssl rand -base64 32)',
    );
  }
  return null;
}
