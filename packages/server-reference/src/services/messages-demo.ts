import type { Actor } from './automation.js';
import type { ContactService } from './contacts.js';
import type { ConversationService } from './conversations.js';

/** A demo conversation: what the contact wrote, and the staff reply if there is one. */
interface DemoConversation {
  /** A demo contact's phone (see contacts-demo.ts). */
  phone: string;
  inbound: string;
  reply: string | null;
}

/**
 * Two conversations: Maria asked and staff replied (so her automation is paused, as a reply
 * leaves it), Arthur asked and is still waiting (his automation runs).
 */
const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  { phone: '+1 415 555 0142', inbound: 'Hola, ¿pueden venir el jueves por la tarde?', reply: 'Hola Maria, sí: el jueves a las 17:00. — Equipo CareOS' },
  { phone: '(415) 555-0178', inbound: 'Is there parking near the clinic?', reply: null },
];

/**
 * Records the demo conversations as `actor` (the demo admin); a contact that already has
 * messages from them is left alone, so running it again adds nothing.
 */
export async function seedDemoConversations(deps: { contacts: ContactService; conversations: ConversationService }, actor: Actor): Promise<void> {
  for (const demo of DEMO_CONVERSATIONS) {
    const [contact] = (await deps.contacts.list({ limit: 1, phone: demo.phone })).contacts;
    if (!contact) continue;
    const existing = await deps.conversations.forContact(contact.id, { limit: 1, direction: 'inbound' });
    if (existing.messages.length > 0) continue;
    await deps.conversations.create({ contactId: contact.id, direction: 'inbound', body: demo.inbound }, actor);
    if (demo.reply) await deps.conversations.create({ contactId: contact.id, direction: 'outbound', body: demo.reply }, actor);
  }
}
