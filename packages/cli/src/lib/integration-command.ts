import type { CareOSIntegration } from '@careos/sdk';
import type { Command } from 'commander';
import { INTEGRATION_CREDENTIALS, INTEGRATION_SETTINGS, requireSettings } from './required-settings.js';
import { addSettingOptions, resolveSettings } from './settings.js';

/**
 * Adds what every `careos integration` command takes: the connection settings (`--api-url`,
 * `--integration-key`, `--integration-secret`, `--therapist-id`, `--env`, `--profile`) and
 * `--json`, which prints the API's response exactly as it came.
 */
export function addIntegrationOptions(command: Command): Command {
  command.option('--json', 'print the API response exactly as returned');
  command.addHelpText(
    'after',
    [
      '',
      'Each run exchanges the integration key and secret for a token first (store them with `careos auth login`), so an',
      'expired token never outlives a run. Exit codes: 0 ok, 2 usage or missing credentials, 3 the API refused: a wrong key',
      "or secret, NO_CONSENT (the client has not consented to this therapist) or INSUFFICIENT_PERMISSION (the client's",
      'level is too low for this data), 4 the API is unreachable.',
    ].join('\n'),
  );
  return addSettingOptions(command, INTEGRATION_SETTINGS);
}

/**
 * Resolves the integration settings (flag > --env > environment > stored profile), asks for
 * or demands the credentials, and runs `call` with a client that is closed afterwards.
 */
export async function withIntegrationClient<T>(options: Record<string, unknown>, call: (client: CareOSIntegration) => Promise<T>): Promise<T> {
  const settings = await resolveSettings(INTEGRATION_SETTINGS, options);
  await requireSettings(settings, INTEGRATION_CREDENTIALS);
  const { integrationClient } = await import('./clients.js');
  const client = integrationClient(settings);
  try {
    return await call(client);
  } finally {
    await client.close();
  }
}
