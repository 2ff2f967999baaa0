import type { BookingService } from './bookings.js';
import type { ContactService } from './contacts.js';
import { DEMO_CONTACTS } from './contacts-demo.js';

const HOUR = 60 * 60 * 1000;

/** One demo booking, timed from the start of the current hour, with the status it ends in. */
interface DemoBooking {
  service: string;
  startsInHours: number;
  minutes: number;
  status: 'scheduled' | 'completed' | 'no_show';
  notes?: string;
}

/**
 * The demo's bookings, by the demo contact's phone (see `contacts-demo.ts`): one today, one
 * tomorrow (its reminder is scheduled), a no-show yesterday and a completed visit, so every count
 * a dashboard shows has something in it.
 */
export const DEMO_BOOKINGS: Readonly<Record<string, readonly DemoBooking[]>> = {
  [DEMO_CONTACTS[0]!.phone!]: [{ service: 'Initial assessment', startsInHours: 26, minutes: 60, status: 'scheduled', notes: 'Bring current medication list' }],
  [DEMO_CONTACTS[1]!.phone!]: [
    { service: 'Follow-up visit', startsInHours: 3, minutes: 30, status: 'scheduled' },
    { service: 'Home-care planning', startsInHours: -48, minutes: 30, status: 'completed' },
  ],
  [DEMO_CONTACTS[2]!.phone!]: [{ service: 'Physiotherapy session', startsInHours: -22, minutes: 45, status: 'no_show' }],
};

/**
 * Adds the demo bookings with `staffId` (the demo admin); a demo contact who already has a
 * booking is left as is, so seeding twice adds nothing. The bookings go through the service:
 * upcoming ones send their confirmation like any other.
 */
export async function seedBookingsDemo(deps: { bookings: BookingService; contacts: ContactService; staffId: string; now: Date }): Promise<void> {
  const hour = Math.floor(deps.now.getTime() / HOUR) * HOUR;
  for (const [phone, plan] of Object.entries(DEMO_BOOKINGS)) {
    const [contact] = (await deps.contacts.list({ limit: 1, phone })).contacts;
    if (!contact) continue;
    if ((await deps.bookings.list({ limit: 1, contactId: contact.id })).bookings.length > 0) continue;
    for (const item of plan) {
      const startsAt = new Date(hour + item.startsInHours * HOUR);
      const booking = await deps.bookings.create({
        contactId: contact.id,
        staffId: deps.staffId,
        service: item.service,
        startsAt,
        endsAt: new Date(startsAt.getTime() + item.minutes * 60_000),
        notes: item.notes ?? null,
      });
      if (item.status !== 'scheduled') await deps.bookings.update(booking.id, { status: item.status });
    }
  }
}
