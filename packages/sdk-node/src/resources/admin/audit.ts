import { routes, type AuditRecord, type AuditVerifyResponse, type RouteQuery } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listAuditLog, verify: routes.verifyAuditLog } as const;

/** Query of `admin.audit.list()`: `actor_id`, `subject_id`, `limit`, `cursor`. */
export type AuditListParams = RouteQuery<typeof routes.listAuditLog>;

/** The audit trail: who did what to which record (never PHI), hash-chained. Admin role. */
export class AdminAudit extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Audit rows, newest first; iterate with `for await` to walk every page. */
  list(query?: AuditListParams, options?: RequestOptions): PagePromise<AuditRecord> {
    return this._client.requestPage(R.list, query, options);
  }

  /** Walks the hash chain on the server: `ok`, rows checked, and the first broken link if any. */
  verify(options?: RequestOptions): APIPromise<AuditVerifyResponse> {
    return this._client.request(R.verify, undefined, options);
  }
}
