import type { TemplateData } from '../messages/comms-templates.js';

/** A message ready to hand to its provider. */
export interface QueuedMessage {
  id: string;
  /** `sms` when absent. */
  channel?: 'sms' | 'email';
  /** E.164 phone or email address. */
  to: string;
  /**
   * The blind index of `to` when already known (computed once when the message is queued, so
   * the dispatcher's claim does not compute it again); computed at the claim when absent.
   */
  toBidx?: string | null;
  /** The text; null for an email a provider template renders. */
  body: string | null;
  /** Email only. */
  subject?: string | null;
  /** Email only: the provider template (`d-…`) when `body` is null. */
  templateId?: string | null;
  dynamicData?: TemplateData | null;
  /** Emails of one bulk send share it (and their content): they go to the provider together. */
  batchId?: string | null;
  leadId: string | null;
  userId: string | null;
  /** When the message's dispatch lease ends (epoch ms), as last written to the database. */
  leaseEndsAt: number;
  /** `cancelled` when written for a contact whose automation is paused or an opted-out number: never sent. */
  status: 'queued' | 'cancelled';
}

/** @deprecated The same as {@link QueuedMessage} (the outbox carries email too). */
export type QueuedSms = QueuedMessage;

/** An SMS to queue in the caller's transaction (see {@link MessageService.insertQueued}). */
export interface NewSms {
  /** Why it is sent, e.g. `welcome`. */
  kind: string;
  /** E.164 phone. */
  to: string;
  /**
   * The blind index of `to` (phone, or email for an email) when the caller has it already, as a
   * bulk send does after checking opt-outs; computed from `to` when absent.
   */
  toBidx?: string;
  body: string;
  language: string;
  leadId?: string | null;
  userId?: string | null;
  /**
   * Sent by an automation (welcome, booking confirmation and reminders; the default): held back
   * while the contact's automation is paused. False for what a person sends: a staff reply, a
   * reminder staff trigger themselves.
   */
  automated?: boolean;
  /** The staff member who wrote it. */
  authorStaffId?: string | null;
  /**
   * Carries PHI (default: what the template registry says of `kind`). Without a BAA for the
   * channel, such a message is sent as the generic secure-message notice instead.
   */
  containsPhi?: boolean;
  /** `body` is already the generic notice (the caller applied the BAA gate). */
  genericNotice?: boolean;
  /** Server template id, stored for the record. */
  templateId?: string | null;
  batchId?: string | null;
}

/** An email to queue (see {@link MessageService.insertQueuedMany}). */
export interface NewEmail extends Omit<NewSms, 'body'> {
  channel: 'email';
  subject: string | null;
  /** The text; null when `templateId` names a provider template that renders it. */
  body: string | null;
  dynamicData?: TemplateData | null;
}

/** Any outbound message to queue: an SMS (no `channel`, or `sms`) or an email. */
export type NewOutbound = (NewSms & { channel?: 'sms' }) | NewEmail;

