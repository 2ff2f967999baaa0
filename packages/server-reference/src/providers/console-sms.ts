import { maskPhone } from '@careos/contract';
import type { Logger } from 'pino';
import type { SmsMessage, SmsProvider, SmsResult } from './types.js';

/**
 * The default SMS provider: nothing leaves the machine. Each message is logged as one line
 * with the number masked (never the body, which names the person); the full text stays in
 * the `messages` outbox table (encrypted), readable through `GET /admin/messages`.
 */
export function createConsoleSmsProvider(logger: Logger): SmsProvider {
  return {
    name: 'console',
    async send(message: SmsMessage): Promise<SmsResult> {
      logger.info({ message_id: message.id, to_masked: maskPhone(message.to), chars: message.body.length }, 'sms (console provider)');
      return { providerMessageId: null };
    },
  };
}
