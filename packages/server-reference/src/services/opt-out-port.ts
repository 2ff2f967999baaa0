/**
 * What the provider webhooks need from the opt-out and suppression records: a phone that texted
 * STOP gets no more SMS until START, an address that bounced or reported spam gets no more
 * email. The records themselves (and the check every send makes) belong to the communications
 * pipeline; this is the part the webhooks call.
 */
export interface OptOutPort {
  /** Records that `e164` opted out of SMS (`source`: how, e.g. `sms_keyword`). */
  optOut(e164: string, source: string): Promise<void>;
  /** Lifts an opt-out of `e164`. */
  optIn(e164: string): Promise<void>;
  /** Stops email to `email` (`reason`: the SendGrid event, e.g. `bounce`, `spamreport`). */
  suppress(email: string, reason: string): Promise<void>;
}
