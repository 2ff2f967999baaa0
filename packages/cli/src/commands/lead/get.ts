import type { Command } from 'commander';
import { PARTNER_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos lead get <id>`: one lead this partner sent, with its payment (partner key). */
export function register(program: Command): void {
  const command = noun(program, 'lead')
    .command('get')
    .argument('<lead-id>', 'the lead id (lead_…) that `careos lead send` printed')
    .description('Show a lead you sent, with its status and payment')
    .option('--json', 'print the lead exactly as the API returns it');
  addSettingOptions(command, PARTNER_SETTINGS);
  command.action(async (leadId: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(PARTNER_SETTINGS, options);
    const { withPartnerClient } = await import('../../lib/clients.js');
    await withPartnerClient(settings, async (client) => {
      const lead = await client.leads.retrieve(leadId);
      out.data(lead, () =>
        keyValues(out.color, [
          ['Lead', lead.id],
          ['Status', lead.status],
          ['Conversation id', lead.source_conversation_id],
          ['User', `${lead.careos_user_id}${lead.is_new_user ? ' (new)' : ' (existing)'}`],
          ['Category', lead.subcategory ? `${lead.category} (${lead.category_raw} / ${lead.subcategory})` : `${lead.category} (${lead.category_raw})`],
          ['Language', lead.user_language],
          ['Location', [lead.user_location_city, lead.user_location_state, lead.user_location_country].filter(Boolean).join(', ') || null],
          ['Value', `$${lead.lead_value_agreed.toFixed(2)}`],
          ['Payment', lead.payment ? `${lead.payment.status}, $${lead.payment.amount.toFixed(2)} due ${lead.payment.due_date.slice(0, 10)}${lead.payment.paid_at ? `, paid ${lead.payment.paid_at.slice(0, 10)}` : ''}` : null],
          ['Consent at', lead.consent_timestamp],
          ['Received', lead.created_at],
        ]),
      );
    });
  });
}
