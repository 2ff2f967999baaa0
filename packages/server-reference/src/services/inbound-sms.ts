import { tryNormalizePhone } from '@careos/contract';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { messages, users } from '../db/schema/index.js';
import { newId } from '../domain/ids.js';
import { smsKeyword, type SmsKeyword } from '../domain/sms-keywords.js';
import type { ServiceContext } from './context.js';
import type { MessageContent } from './lead-write.js';
import type { OptOutService } from './comms/opt-outs.js';
import { insertEvent, type ProviderEventService, type WebhookActor } from './provider-events.js';

/** An SMS someone sent to our number, as Twilio posts it. */
export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

/** What was done with an inbound SMS, and what to answer. */
export interface InboundOutcome {
  keyword: SmsKeyword;
  /** The text to send back (TwiML `<Message>`), or `null` for none. */
  reply: string | null;
  /** The contact the number belongs to, if any. */
  contactId: string | null;
  /** The stored inbound message (ordinary text from a known contact). */
  messageId: string | null;
  duplicate: boolean;
}

/** Answer to HELP: who is writing and how to stop. No PHI, the same for everyone. */
export const HELP_REPLY = 'CareOS care team messages. Reply STOP to opt out, START to opt back in. Msg & data rates may apply. For help, contact your care team.';
/** Confirmation of STOP (carriers expect one, and only one). */
export const OPT_OUT_REPLY = 'You have been unsubscribed and will receive no more messages from us. Reply START to opt back in.';
/** Confirmation of START. */
export const OPT_IN_REPLY = 'You have been re-subscribed to messages from your care team. Reply STOP to opt out, HELP for help.';

/**
 * Replies to our SMS number: the carrier keywords opt the number out and back in (every send
 * checks the opt-out), HELP is answered, and any other text is stored as an inbound message of
 * the contact with that phone (found by its blind index), like the messages staff record.
 *
 * A text from a number no contact has is not stored: it is a stranger's message that no
 * conversation shows; its event (without the text) and an audit row are kept.
 */
export class InboundSmsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly events: ProviderEventService,
    private readonly optOuts: OptOutService,
  ) {}

  /** Handles one inbound SMS once (a repeated post of the same `MessageSid` does nothing again). */
  async receive(sms: InboundSms, actor: WebhookActor): Promise<InboundOutcome> {
    const { ctx } = this;
    const keyword = smsKeyword(sms.body);
    const phone = tryNormalizePhone(sms.from, { defaultCountry: ctx.config.defaultCountry as 'US' });
    const phoneBidx = phone === null ? null : ctx.phi.blind.phone(phone);
    const contact = phoneBidx === null ? undefined : await this.#contactByPhone(phoneBidx);
    const action = keyword ?? (contact ? 'stored' : 'unknown_sender');
    const now = ctx.clock.now();
    const reply = keyword === 'opt_out' ? OPT_OUT_REPLY : keyword === 'opt_in' ? OPT_IN_REPLY : keyword === 'help' ? HELP_REPLY : null;

    const stored = await ctx.db.transaction(async (run) => {
      const messageId = action === 'stored' ? newId('msg', now) : null;
      const eventId = await insertEvent(
        run,
        { messageId, provider: 'twilio', providerEventId: sms.messageSid, providerMessageId: sms.messageSid, type: 'inbound', status: null, action, errorCode: null, addressBidx: phoneBidx, occurredAt: null },
        now,
      );
      if (eventId === null) return null;
      if (messageId && contact) {
        const content = ctx.phi.cipher.sealJson(messages.contentEnc, { to: phone!, body: sms.body } satisfies MessageContent);
        await run(sql`
          insert into messages (id, channel, direction, kind, automated, content_enc, language, status, provider, provider_message_id, user_id, created_at)
          values (${messageId}, 'sms', 'inbound', 'inbound', false, ${content}, ${contact.language}, 'received', 'twilio', ${sms.messageSid}, ${contact.id}, ${now.toISOString()})`);
      }
      return { eventId, messageId };
    });
    const base = { keyword, reply, contactId: contact?.id ?? null };
    if (stored === null) return { ...base, messageId: null, duplicate: true };

    // After the event is committed: the opt-out record is the pipeline's, and is idempotent.
    if (phone !== null && keyword === 'opt_out') await this.optOuts.optOut(phone, 'inbound_stop');
    if (phone !== null && keyword === 'opt_in') await this.optOuts.optIn(phone);
    if (keyword === 'opt_out' || keyword === 'opt_in' || action === 'unknown_sender') {
      const method = keyword === 'opt_out' ? 'OPT_OUT' : keyword === 'opt_in' ? 'OPT_IN' : 'INBOUND_UNKNOWN';
      this.events.recordDecision(actor, method, contact ? 'contact' : 'message_event', contact?.id ?? stored.eventId);
    }
    return { ...base, messageId: stored.messageId, duplicate: false };
  }

  async #contactByPhone(phoneBidx: string): Promise<{ id: string; language: string } | undefined> {
    const [row] = await this.ctx.db.orm
      .select({ id: users.id, language: users.language })
      .from(users)
      .where(and(eq(users.phoneBidx, phoneBidx), isNull(users.deletedAt)));
    return row;
  }
}
