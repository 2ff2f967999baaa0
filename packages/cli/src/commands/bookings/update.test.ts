import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings update', () => {
  it('reschedules keeping the length, refuses a final booking’s change (exit 3) and an empty change (exit 2)', async () => {
    const booking = await b.book(0);
    const moved = await runCli(['bookings', 'update', booking.id, '--start', at(4), '--notes', 'Moved by phone', '--json'], { env: b.env() });
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout).booking).toMatchObject({ starts_at: at(4), duration_minutes: 30, notes: 'Moved by phone' });
    const closed = await runCli(['bookings', 'update', booking.id, '--status', 'cancelled'], { env: b.env() });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/Status\s+cancelled/);
    const refused = await runCli(['bookings', 'update', booking.id, '--start', at(6)], { env: b.env() });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('The booking cannot change that way');
    expect((await runCli(['bookings', 'update', booking.id], { env: b.env() })).code).toBe(2);
  });
});
