import { buildLeadRequest, type LeadIngestParams } from '@careos/sdk';
import type { Output } from './output.js';
import type { ResolvedSettings } from './settings.js';

/** Masks a secret for display: enough to recognise it, not to use it. */
function maskSecret(value: string): string {
  return value.length <= 12 ? '••••' : `${value.slice(0, value.lastIndexOf('_') + 1 || 4)}••••${value.slice(-4)}`;
}

/**
 * `careos lead send --dry-run`: prints the exact request the lead would be sent as (validated,
 * phone encrypted and hashed, API key masked) without sending it. Only the SDK's request
 * builder is imported here, not its client: a dry run loads no HTTP stack.
 */
export function printDryRun(out: Output, settings: ResolvedSettings, lead: LeadIngestParams): void {
  const v = settings.values;
  const { body, headers } = buildLeadRequest(lead, { publicKey: v.publicKey, phoneHashSalt: v.salt, platform: v.platform });
  const url = new URL('/api/leads/ingest', v.apiUrl ?? 'https://api.careos.app').toString();
  const allHeaders = { 'content-type': 'application/json', 'x-api-key': maskSecret(v.apiKey ?? ''), 'x-platform': v.platform ?? '', ...headers, 'idempotency-key': '<generated per send>' };
  out.data({ method: 'POST', url, headers: allHeaders, body }, () =>
    [`POST ${url}`, ...Object.entries(allHeaders).map(([k, val]) => `${k}: ${val}`), '', JSON.stringify(body, null, 2), '', out.color.dim('(dry run: nothing was sent; the API key is masked)')].join('\n'),
  );
}
