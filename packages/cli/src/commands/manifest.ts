/**
 * The command manifest: every top-level command of `careos`, what `careos --help` says of it,
 * and how to load its code. This file imports no command: `careos --help` and `--version` read
 * this table (and commander) only, and `careos <name> …` loads the files of that one entry, so a
 * command's dependencies (the SDK and its schemas, chalk, prompts) cost nothing to the others.
 *
 * Adding a command:
 * - a verb under an existing noun: write `src/commands/<noun>/<verb>.ts` exporting
 *   `register(program: Command)`, which declares it with `noun(program, '<noun>').command('<verb>')`
 *   (options, help, action), and add `() => import('./<noun>/<verb>.js')` to that noun's `load`;
 * - a new noun: add an entry here (name, the one-line description `careos --help` lists, `load`);
 * - a command without verbs (`careos demo`, `careos lookup <phone>`): an entry whose one module
 *   declares it with `noun(program, '<name>')` too, then adds arguments, options and an action.
 *
 * Each import must stay a literal `import('./…')` in this file: the bundler turns each into a
 * chunk of its own, loaded only when called.
 */
export interface ManifestEntry {
  /** The command word: `careos <name> …`. */
  name: string;
  /** One line for `careos --help`. */
  description: string;
  /** Other names of the command (`leads` for `lead`). */
  aliases?: readonly string[];
  /** Loaders of the files that register this command (its verbs, or the command itself). */
  load: readonly (() => Promise<{ register(program: import('commander').Command): void }>)[];
}

/** Every top-level command, in the order `careos --help` lists them. */
export const MANIFEST: readonly ManifestEntry[] = [
  {
    name: 'alerts',
    description: 'Operations alerts: list, count, show and dismiss (failed SMS, payouts, webhooks, low stock)',
    load: [() => import('./alerts/list.js'), () => import('./alerts/count.js'), () => import('./alerts/get.js'), () => import('./alerts/dismiss.js')],
  },
  {
    name: 'api',
    description: 'Call any API route with your stored credentials and print the response body (like `gh api`)',
    load: [() => import('./api/run.js')],
  },
  { name: 'audit', description: 'The audit trail', load: [() => import('./audit/verify.js')] },
  {
    name: 'auth',
    description: 'Store, check and remove credentials',
    load: [() => import('./auth/login.js'), () => import('./auth/status.js'), () => import('./auth/logout.js')],
  },
  {
    name: 'bookings',
    aliases: ['booking'],
    description: 'Care operations: bookings of contacts with staff (create, list, show, reschedule, cancel, remind)',
    load: [
      () => import('./bookings/list.js'),
      () => import('./bookings/get.js'),
      () => import('./bookings/create.js'),
      () => import('./bookings/update.js'),
      () => import('./bookings/cancel.js'),
      () => import('./bookings/remind.js'),
    ],
  },
  { name: 'completion', description: 'Print a shell completion script (bash, zsh, fish)', load: [() => import('./completion/run.js')] },
  {
    name: 'contacts',
    aliases: ['contact'],
    description: 'Care operations: the people CareOS serves (staff sign-in; delete is admin only)',
    load: [
      () => import('./contacts/list.js'),
      () => import('./contacts/get.js'),
      () => import('./contacts/create.js'),
      () => import('./contacts/update.js'),
      () => import('./contacts/delete.js'),
      () => import('./contacts/resume-automation.js'),
    ],
  },
  {
    name: 'dashboard',
    description: 'Business metrics: contacts, leads, low stock, active alerts, messages queued and failed (staff sign-in)',
    load: [() => import('./dashboard/show.js')],
  },
  {
    name: 'demo',
    description:
      'Run the end-to-end demo on a temporary embedded database: leads (new keys, encrypted leads, a replay, payment, welcome SMS, payout); `careos demo operations` for care operations',
    load: [() => import('./demo/run.js'), () => import('./demo/operations.js')],
  },
  {
    name: 'integration',
    description: 'The therapist-integration API: a therapist’s consented clients, alerts and outcomes',
    load: [
      () => import('./integration/clients.js'),
      () => import('./integration/progress.js'),
      () => import('./integration/session-prep.js'),
      () => import('./integration/alerts.js'),
      () => import('./integration/outcomes.js'),
      () => import('./integration/dynamics.js'),
    ],
  },
  {
    name: 'integrations',
    description: 'Check the third-party credentials of a server environment (Twilio, SendGrid, Google, Microsoft, OpenAI, Stripe)',
    load: [() => import('./integrations/test.js')],
  },
  {
    name: 'inventory',
    description: 'Supplies in stock: list, show, create, update, adjust, and what is low',
    load: [
      () => import('./inventory/list.js'),
      () => import('./inventory/low-stock.js'),
      () => import('./inventory/get.js'),
      () => import('./inventory/create.js'),
      () => import('./inventory/update.js'),
      () => import('./inventory/adjust.js'),
    ],
  },
  { name: 'keys', description: 'Generate partner credentials', load: [() => import('./keys/generate.js')] },
  {
    name: 'lead',
    aliases: ['leads'],
    description: 'Send and read leads',
    load: [() => import('./lead/send.js'), () => import('./lead/get.js'), () => import('./lead/list.js')],
  },
  {
    name: 'lookup',
    description: 'Screen pop: the most recent case of the patient with this phone number (the CCaaS lookup)',
    load: [() => import('./lookup/run.js')],
  },
  {
    name: 'comms',
    description: 'SMS and email to clients: send, bulk, status, list (staff sign-in)',
    load: [() => import('./comms/send.js'), () => import('./comms/bulk.js'), () => import('./comms/status.js'), () => import('./comms/list.js')],
  },
  {
    name: 'calendar',
    description: 'Your Google, Microsoft and sandbox calendars: connect, list, events, create an event, disconnect (staff sign-in)',
    load: [() => import('./calendar/connect.js'), () => import('./calendar/list.js'), () => import('./calendar/events.js'), () => import('./calendar/create-event.js'), () => import('./calendar/disconnect.js')],
  },
  {
    name: 'messages',
    aliases: ['message'],
    description: 'The conversation with a contact: list, show, reply (pauses automation), record what they sent (staff sign-in)',
    load: [() => import('./messages/list.js'), () => import('./messages/get.js'), () => import('./messages/send.js'), () => import('./messages/record.js')],
  },
  { name: 'payments', description: 'Partner payments', load: [() => import('./payments/process.js'), () => import('./payments/list.js')] },
  {
    name: 'server',
    description: 'Run the CareOS reference server locally',
    load: [() => import('./server/start.js'), () => import('./server/rotate-master-key.js')],
  },
  {
    name: 'webhooks',
    description: 'Receive, check, trigger and redeliver CareOS webhooks',
    load: [
      () => import('./webhooks/listen.js'),
      () => import('./webhooks/verify.js'),
      () => import('./webhooks/trigger.js'),
      () => import('./webhooks/deliveries.js'),
      () => import('./webhooks/redeliver.js'),
    ],
  },
];
