import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from './profiles.js';

/** How long a remembered consent time is kept: long past any retry after a network error. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

interface Entry {
  consent_timestamp: string;
  sent_at: string;
}

function journalPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'lead-consents.json');
}

function read(env: NodeJS.ProcessEnv): Record<string, Entry> {
  try {
    const value = JSON.parse(readFileSync(journalPath(env), 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Entry>) : {};
  } catch {
    // Missing or damaged: forgetting only costs a re-run its replay (it gets a clear conflict instead).
    return {};
  }
}

/**
 * The consent time first sent under a derived conversation id, if this machine sent it.
 *
 * A lead built from flags without `--consent-timestamp` says the user consented "now". CareOS
 * replays a lead only when the resend has the same content, so a re-run (after a network error)
 * must send the first run's time, not a new one. The file holds conversation ids (hashes) and
 * times, nothing about the person.
 */
export function rememberedConsent(conversationId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return read(env)[conversationId]?.consent_timestamp;
}

/** Records the consent time sent under a derived conversation id, dropping entries older than 30 days. */
export function rememberConsent(conversationId: string, consentTimestamp: string, now: Date, env: NodeJS.ProcessEnv = process.env): void {
  const entries = read(env);
  const cutoff = now.getTime() - KEEP_MS;
  const kept = Object.fromEntries(Object.entries(entries).filter(([, e]) => Date.parse(e?.sent_at) >= cutoff));
  kept[conversationId] = { consent_timestamp: consentTimestamp, sent_at: now.toISOString() };
  try {
    mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
    const temp = `${journalPath(env)}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
    renameSync(temp, journalPath(env));
  } catch {
    // A read-only config dir must not stop a send; the re-run then needs --consent-timestamp.
  }
}
