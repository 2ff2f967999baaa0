import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readIntegrationSettings } from '../src/config/integrations-config.js';
import { loadConfig } from '../src/config/load-config.js';

const root = join(import.meta.dirname, '..');
const example = readFileSync(join(root, '.env.example'), 'utf8');

/** Every non-test source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The environment variables the server reads, found in its source: `read('X')` and
 * `readInteger(read, 'X', …)`, `env.X` / `env['X']` anywhere; in the configuration readers also every
 * `'UPPER_CASE'` literal and the per-partner `${prefix}_X` names (as `<P>_X`).
 */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const isConfig = file.includes(`${join('src', 'config')}`);
    for (const [, name] of text.matchAll(/\bread(?:Integer)?\((?:read,\s*)?'([A-Z][A-Z0-9_]+)'/g)) names.add(name!);
    for (const [, name] of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(name!);
    if (!isConfig) continue;
    for (const [, suffix] of text.matchAll(/`\$\{prefix\}_([A-Z][A-Z0-9_]+)`/g)) names.add(`<P>_${suffix}`);
    for (const [, name] of text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) names.add(name!);
  }
  return names;
}

/** The variables `.env.example` lists: assignments, and the commented `<P>_X=` partner templates. */
function variablesListed(): Set<string> {
  const names = new Set<string>();
  for (const [, name] of example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)) names.add(name!);
  for (const [, name] of example.matchAll(/^# (<P>_[A-Z0-9_]+)=/gm)) names.add(name!);
  return names;
}

describe('.env.example', () => {
  it('lists every variable the server reads, and none it does not', () => {
    const read = variablesRead();
    const listed = variablesListed();
    // The scan itself must find the variables of every area, or it proves nothing.
    for (const name of ['CAREOS_MASTER_KEY', 'TWILIO_HIPAA_ENABLED', 'SENDGRID_HIPAA_ENABLED', 'CAREOS_LOGIN_WINDOW', 'DATABASE_URL', 'UV_THREADPOOL_SIZE', '<P>_API_KEY', 'GOOGLE_CLIENT_SECRET']) {
      expect(read, name).toContain(name);
    }
    expect([...read].filter((name) => !listed.has(name)).sort(), 'read by the server but missing from .env.example').toEqual([]);
    expect([...listed].filter((name) => !read.has(name)).sort(), 'listed in .env.example but read nowhere').toEqual([]);
  });

  it('starts a development server as copied: every value it sets is valid', () => {
    const env = parseEnv(example) as NodeJS.ProcessEnv;
    const config = loadConfig(env);
    expect(config.mode).toBe('development');
    expect(config.twilio).toBeNull();
    const problems: string[] = [];
    const settings = readIntegrationSettings((name) => env[name]?.trim() || undefined, problems);
    expect(problems).toEqual([]);
    expect(settings.twilio.hipaaEnabled).toBe(false);
    expect(settings.sendgrid.hipaaEnabled).toBe(false);
  });
});
