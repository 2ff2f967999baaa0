import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_EXAMPLE_LEAD } from '@careos/contract';
import type { CareOS, OutboundMessage, PlainPhoneLead } from '@careos/sdk';
import type { Command } from 'commander';
import { CliError } from '../../lib/exit-codes.js';
import { careosEnvVars, generatePartnerKeys } from '../../lib/keygen.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { loadServerPackage } from '../../lib/server-package.js';
import { noun } from '../../lib/nouns.js';

// The seed's example lead without its placeholder phone fields: the demo sends a real phone.
const { user_phone_hash: _hash, user_phone_encrypted: _ciphertext, source_platform: _platform, source_conversation_id: _id, ...seedLead } = SEED_EXAMPLE_LEAD;

/** The seed's sample lead, and two more in other languages and categories. */
const LEADS: Omit<PlainPhoneLead, 'source_conversation_id'>[] = [
  { ...seedLead, phone: '+1 415 555 0100' },
  {
    phone: '(305) 555-0142',
    user_name: 'María García',
    user_language: 'es',
    user_location_country: 'US',
    category: 'medication',
    original_message: 'Necesito ayuda para organizar los medicamentos de mi padre',
    ai_extracted_details: { urgency: 'high', person_mentioned: 'dad', service_type: 'rx_management' },
    user_consent: true,
    consent_timestamp: '2025-01-09T09:30:00Z',
    lead_value_agreed: 12.5,
  },
  {
    phone: '+1 514 555 0199',
    user_name: 'Camille Roy',
    user_language: 'fr',
    user_location_country: 'CA',
    category: 'health',
    subcategory: 'therapy',
    original_message: "Je cherche un thérapeute pour mon couple",
    ai_extracted_details: { urgency: 'low', service_type: 'therapy' },
    user_consent: true,
    consent_timestamp: '2025-01-10T18:45:00Z',
    lead_value_agreed: 20,
  },
];

/** Waits for the welcome SMS of a lead to leave the queue (it is sent after the lead commits). */
async function welcomeSms(admin: CareOS, leadId: string): Promise<OutboundMessage | undefined> {
  for (let i = 0; i < 50; i++) {
    const page = await admin.admin.messages.list({ lead_id: leadId, limit: 5 });
    const message = page.data.find((m) => m.kind === 'welcome');
    if (message && message.status !== 'queued') return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** `careos demo`: the whole lead flow end to end on a throwaway local server. */
export function register(program: Command): void {
  noun(program, 'demo')
    .option('--json', 'print a JSON summary instead of the walkthrough')
    .option('--keep', 'keep the temporary data directory')
    .action(async (options: { json?: boolean; keep?: boolean }) => {
      const out = createOutput({ json: options.json });
      const { startServer, masterKeyFileFor } = await loadServerPackage('careos demo'); // heavy and optional: only for this command
      const { CareOS } = await import('@careos/sdk');
      const step = (title: string) => out.line(`\n${out.color.bold.cyan(`▸ ${title}`)}`);
      const dataDir = mkdtempSync(join(tmpdir(), 'careos-demo-'));
      const admin = { email: 'demo-admin@careos.local', password: randomBytes(12).toString('base64url') };

      step('Generating partner credentials for "businessos" (API key, RSA-OAEP key pair, phone-hash salt)');
      const keys = await generatePartnerKeys('businessos', 'test');
      out.line(keyValues(out.color, [['API key', keys.apiKey], ['Key id', keys.keyId]]));

      step('Starting the reference server on a temporary embedded database');
      // Only the demo's own settings: never a DATABASE_URL, REDIS_URL or real provider from the shell.
      const server = await startServer({
        port: 0,
        dataDir,
        logger: false,
        env: { ...careosEnvVars(keys), CAREOS_ADMIN_EMAIL: admin.email, CAREOS_ADMIN_PASSWORD: admin.password },
      });
      const partner = new CareOS({ baseURL: server.url, apiKey: keys.apiKey, platform: 'businessos', publicKey: keys.publicKeyPem, phoneHashSalt: keys.phoneHashSalt });
      const ops = new CareOS({ baseURL: server.url, staffEmail: admin.email, staffPassword: admin.password });
      try {
        out.line(keyValues(out.color, [['URL', server.url], ['Data', dataDir]]));

        step('Sending 3 leads through the SDK (phones normalised, encrypted and hashed on the partner side)');
        const sent = [];
        for (const [i, lead] of LEADS.entries()) {
          const { data, response } = await partner.leads.ingest({ ...lead, source_conversation_id: `bizos-demo-${i + 1}` }).withResponse();
          sent.push(data);
          out.line(`  ${out.color.green('✓')} bizos-demo-${i + 1} → ${data.careos_lead_id} (${data.is_new_user ? 'new user' : 'existing user'}, request ${response.requestId})`);
        }

        step('Sending the first lead again (a retry after a lost response, say)');
        const again = await partner.leads.ingest({ ...LEADS[0]!, source_conversation_id: 'bizos-demo-1' }).withResponse();
        const replayed = again.response.headers['idempotent-replayed'] === 'true';
        if (again.data.careos_lead_id !== sent[0]!.careos_lead_id || !replayed) {
          throw new CliError('The replay created a new lead instead of returning the original one');
        }
        out.line(`  ${out.color.green('✓')} replayed: same lead ${again.data.careos_lead_id}, same user ${again.data.careos_user_id}; nothing new created`);

        step('The stored lead, as the partner reads it back');
        const lead = await partner.leads.retrieve(sent[0]!.careos_lead_id);
        out.line(
          keyValues(out.color, [
            ['Lead', lead.id],
            ['Status', lead.status],
            ['Category', `${lead.category} (sent as ${lead.category_raw}/${lead.subcategory})`],
            ['User', lead.careos_user_id],
            ['Value', `$${lead.lead_value_agreed.toFixed(2)}`],
          ]),
        );

        step("The partner's payments (pending, due in 30 days)");
        const payments = [];
        for await (const payment of partner.partner.payments.list()) payments.push(payment);
        for (const p of payments) out.line(`  ${p.id}  ${p.status}  $${p.amount.toFixed(2)}  due ${p.due_date.slice(0, 10)}  lead ${p.lead_id}`);

        step("The welcome SMS, in each user's language (console SMS provider; numbers masked)");
        const messages = [];
        for (const s of sent) {
          const message = await welcomeSms(ops, s.careos_lead_id);
          if (!message) throw new CliError(`No welcome SMS was sent for ${s.careos_lead_id}`);
          messages.push(message);
          out.line(`  ${message.to_masked} [${message.language}, ${message.status}] ${message.body}`);
        }

        step('Monthly payment processing, run as of 31 days from now (admin)');
        const asOf = new Date(Date.now() + 31 * 86_400_000).toISOString();
        const run = await ops.admin.payments.process({ as_of: asOf });
        for (const p of run.payouts) out.line(`  ${out.color.green(p.status)}  ${p.partner}  $${p.amount.toFixed(2)} for ${p.payments_count} lead(s) via ${p.provider}  ${p.id}`);
        for (const s of run.skipped) out.line(`  skipped ${s.partner}: ${s.message}`);

        out.data({ server: server.url, leads: sent, replay: { ...again.data, replayed }, lead, payments, messages, payout_run: run }, () => `\n${out.color.green.bold('Demo complete.')} Next: careos keys generate <partner> live, then careos server start --env careos.env`);
      } finally {
        await partner.close();
        await ops.close();
        await server.close();
        if (!options.keep) {
          rmSync(dataDir, { recursive: true, force: true });
          // The development master key the server wrote beside the database goes with it.
          rmSync(masterKeyFileFor(dataDir), { force: true });
        }
      }
    });
}
