import { IntegrationTestReport, IntegrationTestRequest } from '../schemas/integration-checks.js';
import { defineRoute } from '../route.js';
import { adminWriteErrors } from './shared.js';

/** The third-party integration self-test (the seed's `test-integrations.js`). */
export const integrationCheckRoutes = {
  testIntegrations: defineRoute({
    id: 'testIntegrations',
    method: 'POST',
    path: '/admin/integrations/test',
    summary: 'Check the Twilio, SendGrid, Google, Microsoft, OpenAI and Stripe credentials (admin)',
    description:
      'Each check only reads (an account, the API key scopes, an OAuth client verified with a deliberately invalid code, the model list), concurrently and with a timeout each. ' +
      'With `send_test`, a test SMS goes to TEST_PHONE_NUMBER and a test email to TEST_EMAIL through the configured providers. No secret appears in the answer.',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: IntegrationTestRequest,
    status: 200,
    response: IntegrationTestReport,
    errors: adminWriteErrors,
  }),
} as const;
