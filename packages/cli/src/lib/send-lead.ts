import type { CareOS, LeadIngestParams } from '@careos/sdk';

/**
 * Sends one lead and reports whether CareOS replayed an earlier send of it. A file of its own:
 * `careos lead send` of one lead loads it without the bulk sender.
 */
export async function sendOneLead(client: CareOS, lead: LeadIngestParams) {
  const { data, response } = await client.leads.ingest(lead).withResponse();
  return { data, replayed: response.headers['idempotent-replayed'] === 'true', requestId: response.requestId };
}
