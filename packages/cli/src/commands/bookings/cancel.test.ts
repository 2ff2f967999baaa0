import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings cancel', () => {
  it('cancels a booking, freeing its slot for a new one', async () => {
    const booking = await b.book(0);
    const res = await runCli(['bookings', 'cancel', booking.id, '--json'], { env: b.env() });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).booking).toMatchObject({ id: booking.id, status: 'cancelled', reminder_due_at: null });
    expect((await b.book(0)).status).toBe('scheduled');
  });
});
