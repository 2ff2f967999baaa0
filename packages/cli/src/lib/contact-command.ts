import type { CareOS, Contact } from '@careos/sdk';
import type { Command } from 'commander';
import { ADMIN_SETTINGS, requireSettings } from './required-settings.js';
import { createOutput, keyValues, type Output } from './output.js';
import { addSettingOptions, resolveSettings } from './settings.js';

/** Options every `careos contacts` verb takes: `--json` and the staff credentials. */
export interface ContactOptions {
  json?: boolean;
  [setting: string]: unknown;
}

/**
 * Adds the staff credentials (`--email`, `--password`, `--api-url` or their env vars) to a
 * `contacts` verb and returns a runner for its action: it signs in, hands `work` a client and
 * the output, and closes the client. Any staff account may use these commands; `delete` needs
 * an admin (the API answers 403 otherwise, exit code 3).
 */
export function staffCommand(command: Command): (options: ContactOptions, work: (client: CareOS, out: Output) => Promise<void>) => Promise<void> {
  addSettingOptions(command, ADMIN_SETTINGS);
  return async (options, work) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const { adminClient } = await import('./clients.js');
    const client = adminClient(settings);
    try {
      await work(client, out);
    } finally {
      await client.close();
    }
  };
}

/** A contact as `careos contacts get|create|update` print it. */
export function renderContact(out: Output, contact: Contact): string {
  return keyValues(out.color, [
    ['Contact', contact.id],
    ['Name', contact.name],
    ['Phone', contact.phone],
    ['Email', contact.email],
    ['Notes', contact.notes],
    ['Language', contact.language],
    ['Source', contact.source],
    ['Automation', contact.automation_paused ? 'paused' : 'on'],
    ['Created', contact.created_at],
    ['Updated', contact.updated_at],
  ]);
}
