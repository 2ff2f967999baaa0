import { routes, type IntegrationTestReport, type RouteBody } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { test: routes.testIntegrations } as const;

/** Body of `admin.integrations.test()`: `send_test` also sends the test SMS and email. */
export type IntegrationTestParams = RouteBody<typeof routes.testIntegrations>;

/** The third-party integration self-test (Twilio, SendGrid, Google, Microsoft, OpenAI, Stripe). Admin role. */
export class AdminIntegrations extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Checks the server's third-party credentials without side effects (and sends test messages with `send_test`). */
  test(body?: IntegrationTestParams, options?: RequestOptions): APIPromise<IntegrationTestReport> {
    return this._client.request(R.test, { body: body ?? {} }, options);
  }
}
