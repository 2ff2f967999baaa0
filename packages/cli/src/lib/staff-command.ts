import { PAGE_SIZE } from '@careos/contract';
import type { CareOS } from '@careos/sdk';
import type { Command } from 'commander';
import { integerBetween } from './option-parsers.js';
import { createOutput, type Output } from './output.js';
import { ADMIN_SETTINGS } from './required-settings.js';
import { addSettingOptions, resolveSettings } from './settings.js';

/** Options every staff command takes: `--json`, the paging options of lists, and the staff credentials. */
export interface StaffOptions {
  json?: boolean;
  limit?: number;
  cursor?: string;
  [setting: string]: unknown;
}

/**
 * Adds the staff credentials (`--email`, `--password`, `--api-url` or their env vars) to a
 * command of the care-operations API and returns a runner for its action: it asks for what is
 * missing, signs in, hands `work` a client and the output, and closes the client. Which role a
 * command needs is the API's to say: a staff account calling an admin route gets 403 (exit code 3).
 */
export function staffCommand(command: Command): (options: StaffOptions, work: (client: CareOS, out: Output) => Promise<void>) => Promise<void> {
  addSettingOptions(command, ADMIN_SETTINGS);
  return async (options, work) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const { withAdminClient } = await import('./clients.js');
    await withAdminClient(settings, (client) => work(client, out));
  };
}

/** Adds `--limit` and `--cursor` to a list command. */
export function pageOptions(command: Command): Command {
  return command
    .option('--limit <n>', `page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`, integerBetween(1, PAGE_SIZE.max))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one');
}

/** The paging part of a list query, from the options {@link pageOptions} adds. */
export function pageQuery(options: StaffOptions): { limit?: number; cursor?: string } {
  return { ...(options.limit ? { limit: options.limit } : {}), ...(options.cursor ? { cursor: options.cursor } : {}) };
}
