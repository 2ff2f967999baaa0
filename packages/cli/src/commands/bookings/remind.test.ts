import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings remind', () => {
  it('queues a reminder, or with --form a form reminder; a cancelled booking exits 3', async () => {
    const booking = await b.book(0);
    const res = await runCli(['bookings', 'remind', booking.id, '--json'], { env: b.env() });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ booking_id: booking.id, message_id: expect.stringMatching(/^msg_/) });
    const form = await runCli(['bookings', 'remind', booking.id, '--form'], { env: b.env() });
    expect(form.code, form.stderr).toBe(0);
    expect(form.stdout).toMatch(/^Form reminder SMS queued: msg_/);
    const kinds = (await b.fx.ops.admin.messages.list({ user_id: b.contactId })).data.map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['booking_reminder', 'booking_form_reminder']));
    await b.fx.ops.bookings.cancel(booking.id);
    const closed = await runCli(['bookings', 'remind', booking.id], { env: b.env() });
    expect(closed.code).toBe(3);
    expect(closed.stderr).toContain('The booking is not scheduled');
  });
});
