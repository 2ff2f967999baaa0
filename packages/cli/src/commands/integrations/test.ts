import type { IntegrationCheckResult, IntegrationTestReport } from '@careos/contract';
import type { Command } from 'commander';
import { addEnvFileOption, readEnvFileOption } from '../../lib/env-file.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { secondsUpTo } from '../../lib/option-parsers.js';
import { loadServerPackage } from '../../lib/server-package.js';

interface Options {
  env?: string;
  envFile?: string;
  sendTest?: boolean;
  timeout: number;
  json?: boolean;
}

/** Each service's heading, as the seed's `test-integrations.js` prints it. */
const HEADINGS: Record<IntegrationCheckResult['service'], string> = {
  twilio: '📱 Testing Twilio (SMS)...',
  sendgrid: '📧 Testing SendGrid (Email)...',
  google_calendar: '📅 Checking Google Calendar credentials...',
  microsoft_outlook: '📅 Checking Microsoft Outlook credentials...',
  openai: '🤖 Checking OpenAI API key...',
  stripe: '💳 Checking Stripe credentials...',
};

/** How the seed words a service whose credentials work. */
const FOUND: Partial<Record<IntegrationCheckResult['service'], string>> = {
  google_calendar: 'Google Calendar credentials found',
  microsoft_outlook: 'Microsoft Outlook credentials found',
};

/** The seed's label of a test message's id. */
const SENT_ID_LABEL: Partial<Record<IntegrationCheckResult['service'], string>> = { twilio: 'Message SID', sendgrid: 'Message ID' };

const ID_LABELS: Record<string, string> = { account_sid: 'Account SID', client_id: 'Client ID', account: 'Account' };

/** `careos integrations test`: the seed's `node backend/test-integrations.js`. */
export function register(program: Command): void {
  const command = noun(program, 'integrations')
    .command('test')
    .description(
      'Check the Twilio, SendGrid, Google Calendar, Microsoft Outlook, OpenAI and Stripe credentials of a server environment without side effects (account, scope and OAuth client reads); exits 1 when a configured service fails. Runs locally: no server needed.',
    )
    .option('--send-test', 'also send the test SMS to TEST_PHONE_NUMBER and the test email to TEST_EMAIL through the configured providers')
    .option('--timeout <seconds>', 'longest each check may take', secondsUpTo(120), 10)
    .option('--json', 'print the report as JSON');
  addEnvFileOption(command, 'the server’s .env file (its variables override the environment)').action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const env = { ...process.env, ...readEnvFileOption(options) };
    // Loaded here, not at the top: the server package would add most of a second to every other command's start.
    const { runIntegrationSelfTest } = await loadServerPackage('careos integrations test');
    const { problems, report } = await runIntegrationSelfTest({ env, sendTest: options.sendTest ?? false, timeoutMs: Math.round(options.timeout * 1000) });
    if (problems.length) throw new CliError(`Invalid integration settings:\n  - ${problems.join('\n  - ')}`, ExitCode.USAGE);
    out.data(report, () => render(out, report));
    if (!report.ok) throw new ExitStatus(ExitCode.FAILURE);
  });
}

/** The seed's layout: a heading per service, its outcome lines, then the summary. */
function render(out: Output, report: IntegrationTestReport): string {
  const { color } = out;
  const lines = [color.bold('🧪 Testing CareOS Third-Party Integrations'), ''];
  for (const result of report.results) {
    lines.push(HEADINGS[result.service]);
    if (result.status === 'not_configured') {
      lines.push(`   ⚪ Not configured: ${result.detail}`);
    } else {
      const checkPassed = result.test_send !== undefined || result.status === 'ok';
      const found = FOUND[result.service];
      lines.push(checkPassed ? `   ✅ ${found ? `${found}: ` : ''}${result.detail}` : color.red(`   ❌ ${result.detail}`));
      for (const [key, value] of Object.entries(result.ids ?? {})) lines.push(color.dim(`   ${ID_LABELS[key] ?? key}: ${value}`));
      if (result.test_send) {
        const sent = result.test_send;
        lines.push(sent.status === 'ok' ? `   ✅ ${sent.detail.replace(/ to .*$/, '!')}` : color.red(`   ❌ ${sent.detail}`));
        if (sent.status === 'ok' && sent.id) lines.push(`   ${SENT_ID_LABEL[result.service] ?? 'Message ID'}: ${sent.id}`);
      }
    }
    lines.push('');
  }
  lines.push('📊 Test Results Summary:');
  for (const result of report.results) {
    if (result.status === 'ok') lines.push(`   ✅ ${result.name}`);
    else if (result.status === 'failed') lines.push(color.red(`   ❌ ${result.name}`));
    else lines.push(color.dim(`   ⚪ ${result.name} (not configured)`));
  }
  return lines.join('\n');
}
