import { routes, type IngestLeadResponse, type Lead } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';
import { prepareLeadIngest, type LeadIngestParams } from '../leads/ingest-params.js';

const R = { ingest: routes.ingestLead, retrieve: routes.retrieveLead } as const;

/** Leads you send to CareOS, and their status. Partner API key auth. */
export class Leads extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Sends a lead. Give `phone` in plain text and the SDK normalises, encrypts and hashes it,
   * or send an already encrypted seed `InboundLead`. Safe to retry: the call carries one
   * `Idempotency-Key` across its retries, and CareOS also deduplicates on
   * `source_conversation_id`.
   */
  ingest(params: LeadIngestParams, options?: RequestOptions): APIPromise<IngestLeadResponse> {
    return this._client.request(R.ingest, () => prepareLeadIngest(params, this._client.phone), options);
  }

  /** A lead you sent, with its payment. */
  retrieve(leadId: string, options?: RequestOptions): APIPromise<Lead> {
    return this._client.request(R.retrieve, { params: { leadId } }, options);
  }
}
