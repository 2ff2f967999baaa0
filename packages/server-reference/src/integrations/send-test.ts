import { randomBytes } from 'node:crypto';
import { maskPhone, tryNormalizePhone, type IntegrationTestSend } from '@careos/contract';
import type { EmailProvider, SmsProvider } from '../providers/types.js';
import { maskEmail } from './mask.js';

/** The test SMS (seed step 4: "SMS sent successfully!"). Plain GSM-7, one segment. */
export const TEST_SMS_BODY = 'CareOS integration test: Twilio SMS is working. No reply needed.';

/** The test email's subject and text. */
export const TEST_EMAIL = {
  subject: 'CareOS integration test',
  text: 'SendGrid email is working: this message was sent by the CareOS integration self-test (careos integrations test --send-test). No reply needed.',
} as const;

/** Our id of a test message (`msg_test_…`), given to the provider as for any message. */
function testMessageId(): string {
  return `msg_test_${randomBytes(8).toString('hex')}`;
}

/**
 * Sends {@link TEST_SMS_BODY} to `TEST_PHONE_NUMBER` through the configured SMS provider. The
 * detail names the number masked only; a provider's refusal is reported as its safe text.
 */
export async function sendTestSms(provider: SmsProvider, phoneNumber: string | null): Promise<IntegrationTestSend> {
  if (phoneNumber === null) return { status: 'failed', detail: 'TEST_PHONE_NUMBER is not set', id: null };
  const to = tryNormalizePhone(phoneNumber);
  if (to === null) return { status: 'failed', detail: 'TEST_PHONE_NUMBER is not a phone number in E.164 form such as +15551234567', id: null };
  if (provider.name === 'console') return { status: 'failed', detail: 'The SMS provider is the console (nothing would be sent)', id: null };
  try {
    const sent = await provider.send({ id: testMessageId(), to, body: TEST_SMS_BODY });
    return { status: 'ok', detail: `SMS sent successfully to ${maskPhone(to)}`, id: sent.providerMessageId };
  } catch (error) {
    return { status: 'failed', detail: `The test SMS was refused: ${safeMessage(error)}`, id: null };
  }
}

/** Sends the {@link TEST_EMAIL} to `TEST_EMAIL` through the configured email provider. */
export async function sendTestEmail(provider: EmailProvider, address: string | null): Promise<IntegrationTestSend> {
  if (address === null) return { status: 'failed', detail: 'TEST_EMAIL is not set', id: null };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) return { status: 'failed', detail: 'TEST_EMAIL is not an email address', id: null };
  if (provider.name === 'console') return { status: 'failed', detail: 'The email provider is the console (nothing would be sent)', id: null };
  try {
    const [outcome] = await provider.send({
      content: { subject: TEST_EMAIL.subject, text: TEST_EMAIL.text, templateId: null },
      recipients: [{ messageId: testMessageId(), to: address }],
    });
    if (!outcome) return { status: 'failed', detail: 'The email provider reported no outcome', id: null };
    if (!outcome.ok) return { status: 'failed', detail: `The test email was refused: ${outcome.error}`, id: null };
    return { status: 'ok', detail: `Email sent successfully to ${maskEmail(address)}`, id: outcome.providerMessageId };
  } catch (error) {
    return { status: 'failed', detail: `The test email was refused: ${safeMessage(error)}`, id: null };
  }
}

/** A provider error's message (providers keep theirs free of numbers and secrets), else its kind. */
function safeMessage(error: unknown): string {
  return (error as Error)?.name === 'ProviderError' ? (error as Error).message : `${(error as Error)?.name ?? 'Error'} while sending`;
}
