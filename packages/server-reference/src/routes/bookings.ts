import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Both forms of the end a body may give, as one instant (the contract has checked one is there). */
function endOf(startsAt: Date, body: { ends_at?: string | undefined; duration_minutes?: number | undefined }): Date | undefined {
  if (body.ends_at !== undefined) return new Date(body.ends_at);
  return body.duration_minutes === undefined ? undefined : new Date(startsAt.getTime() + body.duration_minutes * 60_000);
}

/**
 * Care operations: bookings, and the business settings whose time zone their messages use.
 * Audit rows name the booking by id only, never its service or notes.
 */
export function bindBookingRoutes(router: Router, kit: HttpKit): void {
  const { bookings, business } = kit.services;

  bindRoute(router, kit, routes.createBooking, async ({ body, ctx }) => {
    const startsAt = new Date(body.starts_at);
    const booking = await bookings.create({ contactId: body.contact_id, staffId: body.staff_id, service: body.service, startsAt, endsAt: endOf(startsAt, body)!, notes: body.notes });
    ctx.auditSubject = { type: 'booking', id: booking.id };
    return { body: { booking } };
  });

  bindRoute(router, kit, routes.listBookings, async ({ query }) => {
    const page = await bookings.list({
      limit: query.limit,
      cursor: query.cursor,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      staffId: query.staff_id,
      contactId: query.contact_id,
      status: query.status,
    });
    return { body: { bookings: page.bookings, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.getBooking, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'booking', id: params.id };
    return { body: { booking: await bookings.get(params.id) } };
  });

  bindRoute(router, kit, routes.updateBooking, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'booking', id: params.id };
    const booking = await bookings.update(params.id, {
      status: body.status,
      startsAt: body.starts_at === undefined ? undefined : new Date(body.starts_at),
      endsAt: body.ends_at === undefined ? undefined : new Date(body.ends_at),
      durationMinutes: body.duration_minutes,
      staffId: body.staff_id,
      service: body.service,
      notes: body.notes,
    });
    return { body: { booking } };
  });

  bindRoute(router, kit, routes.sendBookingReminder, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'booking', id: params.id };
    const sent = await bookings.sendNow(params.id, 'booking_reminder');
    return { body: { booking_id: sent.bookingId, message_id: sent.messageId } };
  });

  bindRoute(router, kit, routes.sendBookingFormReminder, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'booking', id: params.id };
    const sent = await bookings.sendNow(params.id, 'booking_form_reminder');
    return { body: { booking_id: sent.bookingId, message_id: sent.messageId } };
  });

  bindRoute(router, kit, routes.getBusinessSettings, async () => ({ body: await business.all() }));

  bindRoute(router, kit, routes.updateBusinessSettings, async ({ body }) => {
    if (body.time_zone !== undefined) await business.setTimeZone(body.time_zone);
    if (body.quiet_hours !== undefined) await business.setQuietHours(body.quiet_hours);
    return { body: await business.all() };
  });
}
