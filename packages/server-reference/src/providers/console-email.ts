import type { Logger } from 'pino';
import type { EmailBatch, EmailOutcome, EmailProvider } from './types.js';

/**
 * The default email provider: nothing leaves the machine. Each recipient is logged as one line
 * with the domain only (never the local part, the subject or the body); the full message stays
 * encrypted in the `messages` outbox table.
 */
export function createConsoleEmailProvider(logger: Logger): EmailProvider {
  return {
    name: 'console',
    async send(batch: EmailBatch): Promise<EmailOutcome[]> {
      return batch.recipients.map((recipient) => {
        const domain = recipient.to.slice(recipient.to.lastIndexOf('@') + 1);
        logger.info({ message_id: recipient.messageId, to_domain: domain, template: batch.content.templateId !== null }, 'email (console provider)');
        return { ok: true, providerMessageId: null };
      });
    },
  };
}
