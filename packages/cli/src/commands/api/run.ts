import type { Command } from 'commander';
import { ADMIN_SETTINGS, INTEGRATION_SETTINGS, LOOKUP_SETTINGS, PARTNER_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { collect, oneOf } from '../../lib/option-parsers.js';
import { addSettingOptions, resolveSettings, type ResolvedSettings, type SettingName } from '../../lib/settings.js';
import type { ApiAuth } from '../../lib/raw-api.js';

interface Options {
  data?: string;
  header?: string[];
  auth?: ApiAuth;
  include?: boolean;
  timeout?: string;
  [setting: string]: unknown;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const AUTHS = ['partner', 'admin', 'integration', 'lookup', 'none'] as const satisfies readonly ApiAuth[];
const SETTINGS_OF: Readonly<Record<ApiAuth, { names: readonly SettingName[]; required: readonly SettingName[] }>> = {
  partner: { names: PARTNER_SETTINGS, required: ['apiKey', 'platform'] },
  admin: { names: ADMIN_SETTINGS, required: ['email', 'password'] },
  integration: { names: INTEGRATION_SETTINGS, required: ['integrationKey', 'integrationSecret', 'therapistId'] },
  lookup: { names: LOOKUP_SETTINGS, required: ['lookupKey'] },
  none: { names: ['apiUrl'], required: [] },
};

/** The credential headers of `auth`, fetching a token through the SDK where the scheme uses one. */
async function credentialHeaders(auth: ApiAuth, settings: ResolvedSettings): Promise<Record<string, string>> {
  const v = settings.values;
  if (auth === 'partner') return { 'x-api-key': v.apiKey!, 'x-platform': v.platform! };
  if (auth === 'lookup') return { 'x-api-key': v.lookupKey! };
  if (auth === 'none') return {};
  const { adminClient, integrationClient } = await import('../../lib/clients.js');
  if (auth === 'admin') {
    const client = adminClient(settings);
    try {
      return { authorization: `Bearer ${(await client.auth.login({ email: v.email!, password: v.password! })).access_token}` };
    } finally {
      await client.close();
    }
  }
  const client = integrationClient(settings);
  try {
    return { authorization: `Bearer ${await client.auth.token()}` };
  } finally {
    await client.close();
  }
}

/** `careos api <method> <path>`: a raw API call with the stored credentials, like `gh api`. */
export function register(program: Command): void {
  const command = noun(program, 'api')
    .argument('<method>', METHODS.join(', '), (value) => oneOf(METHODS)(value.toUpperCase()))
    .argument('<path>', 'the API path with its query, e.g. /api/partner/payments?status=paid')
    .description('Call any API route with your stored credentials and print the response body (like `gh api`)')
    .option('-d, --data <json>', 'request body: JSON text, @file, or - to read it from stdin')
    .option('-H, --header <header>', 'an extra header, "Name: value" (repeatable)', collect)
    .option('--auth <scheme>', `credentials to send: ${AUTHS.join(', ')} (default: what the route needs, from the API contract)`, oneOf(AUTHS))
    .option('-i, --include', 'print the status line and response headers before the body')
    .addHelpText(
      'after',
      [
        '',
        'The body is printed as the API sent it (JSON indented), whatever the status.',
        'Exit codes: 0 for 2xx, 3 for 4xx, 4 for 5xx or no answer, 2 for bad usage.',
        'Examples:',
        '  careos api GET /api/partner/payments',
        "  careos api POST /api/partner/webhooks --data '{\"url\":\"https://example.com/hook\",\"events\":[\"payment.paid\"]}'",
        '  careos api GET /admin/leads?limit=5          (admin credentials, chosen from the route)',
      ].join('\n'),
    );
  addSettingOptions(command, [...new Set([...PARTNER_SETTINGS, ...ADMIN_SETTINGS, ...INTEGRATION_SETTINGS, ...LOOKUP_SETTINGS])]);
  command.action(async (method: (typeof METHODS)[number], path: string, options: Options) => {
    if (!path.startsWith('/')) throw new CliError(`The path must start with /, e.g. /api/partner/payments (got "${path}")`, ExitCode.USAGE);
    const { routeList } = await import('@careos/contract');
    const { authOf, exitCodeOf, matchRoute, readData } = await import('../../lib/raw-api.js');
    const { parseHeaderLine } = await import('../../lib/header-input.js');
    const auth = options.auth ?? authOf(matchRoute(routeList, method, path));
    const { names, required } = SETTINGS_OF[auth];
    const settings = await resolveSettings(names, options);
    await requireSettings(settings, required);

    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'careos-cli', ...(await credentialHeaders(auth, settings)) };
    for (const line of options.header ?? []) {
      const [name, value] = parseHeaderLine(line);
      headers[name.toLowerCase()] = value;
    }
    const body = options.data === undefined ? undefined : await readData(options.data);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const url = new URL(path, settings.values.apiUrl ?? 'https://api.careos.app');

    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`${method} ${url.origin}${url.pathname}: no answer (${cause?.code ?? cause?.message ?? (error as Error).message})`, ExitCode.UNAVAILABLE);
    }
    const text = await response.text();
    if (options.include) {
      process.stdout.write(`HTTP ${response.status} ${response.statusText}\n`);
      for (const [name, value] of response.headers) process.stdout.write(`${name}: ${value}\n`);
      process.stdout.write('\n');
    }
    let printed = text;
    try {
      printed = text === '' ? '' : JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON (an HTML docs page, say): print it as it came.
    }
    if (printed !== '') process.stdout.write(printed.endsWith('\n') ? printed : `${printed}\n`);
    const code = exitCodeOf(response.status);
    if (code !== ExitCode.OK) {
      const requestId = response.headers.get('x-request-id');
      process.stderr.write(`careos: ${method} ${url.pathname} answered ${response.status}${requestId ? ` (request id ${requestId})` : ''}\n`);
      throw new ExitStatus(code);
    }
  });
}
