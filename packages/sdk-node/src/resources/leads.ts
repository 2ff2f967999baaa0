import { routes, type IngestLeadResponse, type Lead, type RouteQuery } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';
import { prepareLeadIngest, type LeadIngestParams } from '../leads/ingest-params.js';

const R = { ingest: routes.ingestLead, retrieve: routes.retrieveLead, list: routes.listPartnerLeads } as const;

/** Query of `leads.list()`: `limit` (1-500, default 100), `cursor`. */
export type LeadListParams = RouteQuery<typeof routes.listPartnerLeads>;

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

  /** The leads you sent, newest first. `await` for the first page, or `for await` over every lead. */
  list(query?: LeadListParams, options?: RequestOptions): PagePromise<Lead> {
    return this._client.requestPage(R.list, query, options);
  }
}
