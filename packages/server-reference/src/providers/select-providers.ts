import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config.js';
import { createConsoleEmailProvider } from './console-email.js';
import { createConsoleSmsProvider } from './console-sms.js';
import { createLedgerPayoutProvider } from './ledger-payouts.js';
import { createSendGridEmailProvider } from './sendgrid-email.js';
import { createStripePayoutProvider } from './stripe-payouts.js';
import { createTwilioSmsProvider } from './twilio-sms.js';
import type { Providers } from './types.js';

/** Where Twilio reports delivery of what we send: our status webhook, once a public URL is configured. */
function twilioStatusCallback(config: ServerConfig): { statusCallbackUrl?: string } {
  const base = config.providerWebhooks.twilioBaseUrl;
  return base ? { statusCallbackUrl: `${base}/webhooks/twilio/status` } : {};
}

/** Picks each provider from the configuration, letting explicit overrides win. */
export function selectProviders(config: ServerConfig, logger: Logger, overrides: Partial<Providers> = {}): Providers {
  return {
    sms: overrides.sms ?? (config.twilio ? createTwilioSmsProvider({ ...config.twilio, ...twilioStatusCallback(config) }) : createConsoleSmsProvider(logger)),
    email: overrides.email ?? (config.sendgrid ? createSendGridEmailProvider(config.sendgrid) : createConsoleEmailProvider(logger)),
    payouts: overrides.payouts ?? (config.stripe ? createStripePayoutProvider(config.stripe) : createLedgerPayoutProvider()),
  };
}
