/**
 * The third-party integration self-test (the seed's `test-integrations.js`): side-effect-free
 * credential checks of Twilio, SendGrid, Google, Microsoft, OpenAI and Stripe, optional test
 * messages, and the start-time warnings about unsafe combinations of their settings.
 */
export { runIntegrationChecks, type IntegrationCheckOptions } from './run-checks.js';
export { runIntegrationSelfTest, type IntegrationSelfTestOptions, type IntegrationSelfTestOutcome } from './self-test.js';
export { unsafeSettingWarnings } from './warnings.js';
export { maskEmail, maskId } from './mask.js';
export { SELF_TEST_CODE } from './oauth-checks.js';
export { TEST_EMAIL, TEST_SMS_BODY } from './send-test.js';
