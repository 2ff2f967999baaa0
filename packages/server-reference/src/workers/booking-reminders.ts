import { sql } from 'drizzle-orm';
import { bookingMessage } from '../messages/booking-templates.js';
import type { BusinessSettingsService } from '../services/business-settings.js';
import { openCard } from '../services/contact-card.js';
import type { ServiceContext } from '../services/context.js';
import type { MessageService, QueuedSms } from '../services/messages.js';
import { Poller } from './poller.js';

/** Reminders claimed per transaction. */
const BATCH = 100;

interface DueRow extends Record<string, unknown> {
  id: string;
  contact_id: string;
  starts_at: Date | string;
  status: string;
  profile_enc: string | null;
  language: string;
}

/**
 * Sends the automatic booking reminders from their durable schedule, `bookings.reminder_due_at`.
 * Each run claims due rows with `FOR UPDATE SKIP LOCKED` and, in that one transaction, queues
 * the SMS (`insertQueued`) and clears the due time: a reminder is queued once however many
 * instances run, and none is lost if one dies mid-way (its transaction rolls back). The schedule
 * lives only in the database, so the first run at start sends what fell due while the server
 * was down. A reschedule moves the due time and closing a booking clears it in their own
 * transactions, which hold the row's lock, so a stale reminder can never be claimed. A booking
 * that has started by the time its reminder is claimed, or whose contact has no phone, gets
 * none (its due time is cleared all the same).
 */
export class BookingReminderWorker {
  readonly #poller: Poller;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: { messages: MessageService; business: BusinessSettingsService },
  ) {
    this.#poller = new Poller({ intervalMs: ctx.config.bookings.reminderPollMs, run: () => this.#runAll(), logger: ctx.logger, failure: 'booking reminders failed' });
  }

  /** Runs now (catching up after downtime), then every poll interval until {@link stop}. */
  start(): void {
    this.#poller.start({ now: true });
  }

  /** Stops polling and waits for a run in progress. */
  stop(): Promise<void> {
    return this.#poller.stop();
  }

  /** Queues every reminder due now; resolves with how many were queued. A run already going is joined, not doubled. */
  runDue(): Promise<number> {
    return this.#poller.runDue();
  }

  async #runAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, queued } = await this.#claimBatch();
      this.deps.messages.enqueue(...queued);
      total += queued.length;
      if (claimed < BATCH) break;
    }
    if (total) this.ctx.logger.info({ count: total }, 'booking reminders queued');
    return total;
  }

  async #claimBatch(): Promise<{ claimed: number; queued: QueuedSms[] }> {
    const { db, clock, phi } = this.ctx;
    const now = clock.now();
    const timeZone = await this.deps.business.timeZone();
    return db.transaction(async (run) => {
      const rows = await run<DueRow>(sql`
        select b.id, b.contact_id, b.starts_at, b.status, u.profile_enc, u.language
          from bookings as b join users as u on u.id = b.contact_id
         where b.reminder_due_at <= ${now.toISOString()}::timestamptz
         order by b.reminder_due_at
         limit ${BATCH}
           for update of b skip locked`);
      const queued: QueuedSms[] = [];
      for (const row of rows) {
        const startsAt = new Date(row.starts_at);
        // A deleted contact's card is erased: no phone, no reminder.
        const card = row.profile_enc === null ? null : openCard({ profileEnc: row.profile_enc }, phi);
        let messageId: string | null = null;
        if (row.status === 'scheduled' && startsAt > now && card?.phone) {
          const text = bookingMessage('booking_reminder', { languageTag: row.language, name: card.name, startsAt, timeZone });
          const sms = await this.deps.messages.insertQueued(run, { kind: 'booking_reminder', to: card.phone, body: text.body, language: text.language, userId: row.contact_id });
          queued.push(sms);
          messageId = sms.id;
        }
        await run(sql`
          update bookings
             set reminder_due_at = null,
                 reminder_sent_at = case when ${messageId}::text is null then reminder_sent_at else ${now.toISOString()}::timestamptz end,
                 reminder_message_id = coalesce(${messageId}::text, reminder_message_id)
           where id = ${row.id}`);
      }
      return { claimed: rows.length, queued };
    });
  }
}
