import type { AuditVerifyResponse } from '@careos/sdk';
import type { Command } from 'commander';
import { ADMIN_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

function render(out: Output, result: AuditVerifyResponse): string {
  const head = result.head ? `last intact row ${result.head.seq} (hash ${result.head.hash})` : 'no intact row';
  if (result.ok) {
    return [`${out.color.green('✓ intact')}  ${result.rows_checked} audit row(s) checked`, out.color.dim(`Head: ${head}. Keep it to detect rows removed from the end later.`)].join('\n');
  }
  const broken = result.first_broken!;
  return [
    `${out.color.red('✗ broken')}  at row ${broken.seq} (${broken.id}): ${broken.reason}`,
    `  ${broken.message}`,
    out.color.dim(`${result.rows_checked} row(s) checked; ${head}.`),
  ].join('\n');
}

/** `careos audit verify`: walks the audit hash chain on the server and reports the first broken link (admin). */
export function register(program: Command): void {
  const command = noun(program, 'audit')
    .command('verify')
    .description('Check that no audit row was changed, removed or inserted since it was written; exit 1 at the first broken link (admin)')
    .option('--json', 'print the result as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const { adminClient } = await import('../../lib/clients.js');
    const client = adminClient(settings);
    try {
      const result = await client.admin.audit.verify();
      out.data(result, () => render(out, result));
      if (!result.ok) throw new ExitStatus(ExitCode.FAILURE);
    } finally {
      await client.close();
    }
  });
}
