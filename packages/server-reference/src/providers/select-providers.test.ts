import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { selectProviders } from './select-providers.js';

const logger = pino({ level: 'silent' });

describe('selectProviders', () => {
  it('keeps the console providers without credentials', () => {
    const providers = selectProviders(loadConfig({}), logger);
    expect([providers.sms.name, providers.email.name]).toEqual(['console', 'console']);
  });

  it('picks Twilio and SendGrid when their credentials are set', () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_FROM_NUMBER: '+15005550006',
      SENDGRID_API_KEY: 'SG.key',
      SENDGRID_FROM_EMAIL: 'care@clinic.example',
    });
    const providers = selectProviders(config, logger);
    expect([providers.sms.name, providers.email.name]).toEqual(['twilio', 'sendgrid']);
  });
});
