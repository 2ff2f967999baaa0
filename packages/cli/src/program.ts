import { createRequire } from 'node:module';
import { Command } from 'commander';
import { register as registerApi } from './commands/api/run.js';
import { register as registerAuditVerify } from './commands/audit/verify.js';
import { register as registerAuthLogin } from './commands/auth/login.js';
import { register as registerAuthLogout } from './commands/auth/logout.js';
import { register as registerAuthStatus } from './commands/auth/status.js';
import { register as registerCompletion } from './commands/completion/run.js';
import { register as registerDemo } from './commands/demo/run.js';
import { register as registerIntegrationAlerts } from './commands/integration/alerts.js';
import { register as registerIntegrationClients } from './commands/integration/clients.js';
import { register as registerIntegrationDynamics } from './commands/integration/dynamics.js';
import { register as registerIntegrationOutcomes } from './commands/integration/outcomes.js';
import { register as registerIntegrationProgress } from './commands/integration/progress.js';
import { register as registerIntegrationSessionPrep } from './commands/integration/session-prep.js';
import { register as registerKeysGenerate } from './commands/keys/generate.js';
import { register as registerLeadGet } from './commands/lead/get.js';
import { register as registerLeadList } from './commands/lead/list.js';
import { register as registerLeadSend } from './commands/lead/send.js';
import { register as registerLookup } from './commands/lookup/run.js';
import { register as registerPaymentsList } from './commands/payments/list.js';
import { register as registerPaymentsProcess } from './commands/payments/process.js';
import { register as registerServerRotateMasterKey } from './commands/server/rotate-master-key.js';
import { register as registerServerStart } from './commands/server/start.js';
import { register as registerWebhooksDeliveries } from './commands/webhooks/deliveries.js';
import { register as registerWebhooksListen } from './commands/webhooks/listen.js';
import { register as registerWebhooksRedeliver } from './commands/webhooks/redeliver.js';
import { register as registerWebhooksTrigger } from './commands/webhooks/trigger.js';
import { register as registerWebhooksVerify } from './commands/webhooks/verify.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Every command, noun/verb, one file each (`src/commands/<noun>/<verb>.ts`). */
const commands: ((program: Command) => void)[] = [
  registerApi,
  registerAuditVerify,
  registerAuthLogin,
  registerAuthStatus,
  registerAuthLogout,
  registerDemo,
  registerIntegrationClients,
  registerIntegrationProgress,
  registerIntegrationSessionPrep,
  registerIntegrationAlerts,
  registerIntegrationOutcomes,
  registerIntegrationDynamics,
  registerKeysGenerate,
  registerLeadSend,
  registerLeadGet,
  registerLeadList,
  registerLookup,
  registerPaymentsList,
  registerPaymentsProcess,
  registerServerStart,
  registerServerRotateMasterKey,
  registerWebhooksListen,
  registerWebhooksVerify,
  registerWebhooksTrigger,
  registerWebhooksDeliveries,
  registerWebhooksRedeliver,
  registerCompletion,
];

/** Builds the `careos` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('careos')
    .description('The CareOS command line: credentials, partner keys, leads, payments, the audit trail, the therapist-integration API, webhooks, a local reference server and a demo.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Settings resolve the same way for every command: flag > --env-file > environment > stored profile.',
        'Store a profile with `careos auth login`: secrets go to the OS keychain, or a 0600 credentials.json with a warning',
        'when there is none (CAREOS_CREDENTIAL_STORE=auto|keychain|file).',
        'Exit codes: 0 ok, 1 failure, 2 usage, 3 API error (4xx), 4 API unreachable or 5xx, 5 partial bulk failure, 130 interrupted, 141 bulk send stopped because stdout closed (unsent leads in the failures file).',
        '`careos webhooks verify` exits 1 when the delivery is invalid; `careos webhooks listen` exits 0 when stopped.',
        '`careos lookup` exits 1 when no case has the number.',
        '`careos audit verify` exits 1 when the audit chain is broken.',
        'NO_COLOR disables colour. CAREOS_LOG=debug|info|warn|error logs API requests on stderr (secrets redacted).',
        'Shell completion: careos completion bash|zsh|fish.',
      ].join('\n'),
    );
  for (const register of commands) register(program);
  return program;
}
