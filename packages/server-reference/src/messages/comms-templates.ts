/**
 * The server's message templates and whether each carries PHI. The BAA gate reads the flag:
 * a PHI template goes only through a provider whose HIPAA flag is on. Automated messages are
 * looked up by their `kind`; `POST /comms` by its `template_id`. The seed's rule decides the
 * flag: appointment details are PHI; a generic note ("please call us") is not.
 */

/** Values a template fills in. */
export type TemplateData = Record<string, string | number | boolean | null>;

/** One server template. */
export interface CommsTemplate {
  id: string;
  /** Names the person's appointment, care or condition: only for a provider under a BAA. */
  phi: boolean;
  /** Renders it; absent for templates only automations write (their text comes from elsewhere). */
  render?: (data: TemplateData, business: string) => { subject: string; body: string };
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : fallback);

const TEMPLATES: readonly CommsTemplate[] = [
  // The welcome names no appointment or condition, only that the person reached out: not PHI.
  { id: 'welcome', phi: false },
  // Booking texts give the appointment's time with the person's name: PHI under the seed's rule.
  { id: 'booking_confirmation', phi: true },
  { id: 'booking_form_reminder', phi: true },
  {
    id: 'booking_reminder',
    phi: true,
    render: (data, business) => ({
      subject: `Your appointment with ${business}`,
      body: `Hi ${text(data.first_name, 'there')}, a reminder of your appointment with ${business} on ${text(data.when, 'your booked date')}. Reply STOP to opt out.`,
    }),
  },
  {
    id: 'call_us',
    phi: false,
    render: (_data, business) => ({ subject: `A message from ${business}`, body: `${business} would like to speak with you. Please call us back when you can.` }),
  },
  {
    id: 'secure_message_notice',
    phi: false,
    render: (_data, business) => ({ subject: `New secure message from ${business}`, body: genericNotice(business) }),
  },
];

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

/** The server template with this id (or automated message kind), if any. */
export function commsTemplate(id: string): CommsTemplate | undefined {
  return BY_ID.get(id);
}

/** Whether messages of this automated kind carry PHI (false for a kind the registry does not know). */
export function kindCarriesPhi(kind: string): boolean {
  return BY_ID.get(kind)?.phi ?? false;
}

/** A SendGrid dynamic template id (`d-` and 32 hex digits): rendered by the provider. */
export function isProviderTemplate(id: string): boolean {
  return /^d-[0-9a-f]{32}$/i.test(id);
}

/** The text that replaces a PHI message when its channel has no BAA: it says nothing but who wrote. */
export function genericNotice(business: string): string {
  return `You have a new secure message from ${business}. Please log in to view it.`;
}
