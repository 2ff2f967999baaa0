import type { CountryCode, LookupFound, LookupResult } from '@careos/sdk';
import type { Command } from 'commander';
import { LOOKUP_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { createOutput, keyValues, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';
import { noun } from '../../lib/nouns.js';

interface Options {
  json?: boolean;
  country?: string;
  [setting: string]: unknown;
}

/** What a screen pop shows of a found case, in the order an agent reads it. */
function render(out: Output, found: LookupFound): string {
  const { patient, case: c } = found;
  return keyValues(out.color, [
    ['Case', `${found.case_id} (${c.status})`],
    ['Patient', patient.name],
    ['Phone', patient.phone],
    ['Home phone', patient.home_phone],
    ['Cell phone', patient.cell_phone],
    ['Email', patient.email],
    ['Clinic', c.clinic],
    ['Treatment', c.treatment],
    ['Disposition', c.disposition],
    ['Outcome', c.outcome],
    ['Created', c.created_at],
    ['Follow-up', c.follow_up_date],
    ['Screen pop', found.screen_pop_url],
  ]);
}

function country(value: string | undefined): CountryCode | undefined {
  if (value === undefined) return undefined;
  const code = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new CliError(`--country must be a two-letter country code such as IT or US, not "${value}"`, ExitCode.USAGE);
  return code as CountryCode;
}

/** `careos lookup <phone>`: the CCaaS screen pop from a terminal. */
export function register(program: Command): void {
  const command = noun(program, 'lookup')
    .argument('<phone>', 'the caller’s number: +390622224444, "+39 06 2222 4444", 0039…, or national format with --country')
    .option('--country <code>', 'country of a number written without a country code, e.g. IT (default: CareOS reads it in the country of its records)')
    .option('--json', 'print the API response exactly as returned (the case, or the 404 { found: false } body)');
  addSettingOptions(command, LOOKUP_SETTINGS);
  command.addHelpText(
    'after',
    [
      '',
      'The number is sent in E.164 (+390622224444), in the body of a POST, whatever shape it was typed in.',
      'Exit codes: 0 a case was found, 1 no case for this number (a normal answer, like grep finding nothing),',
      '2 usage or not a phone number, 3 the API refused (a wrong or revoked key: 401; rate limited: 429),',
      '4 the API is unreachable, timed out (2 s, one retry) or failed (5xx).',
      '',
      'Examples:',
      '  careos lookup "+39 06 2222 4444" --lookup-key your-api-key-here --api-url http://127.0.0.1:8000',
      '  careos lookup 06-2222-4444 --country IT --json',
    ].join('\n'),
  );
  command.action(async (phone: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const defaultCountry = country(options.country);
    const settings = await resolveSettings(LOOKUP_SETTINGS, options);
    await requireSettings(settings, ['lookupKey']);
    const { lookupClient } = await import('../../lib/clients.js');
    const client = lookupClient(settings, defaultCountry ? { defaultCountry } : {});
    let result: LookupResult;
    try {
      result = await client.byPhone(phone);
    } finally {
      await client.close();
    }
    if (result.found) {
      out.data(result, () => render(out, result));
      return;
    }
    out.data(result, () => result.message);
    throw new ExitStatus(ExitCode.FAILURE);
  });
}
