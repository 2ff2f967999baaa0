import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings get', () => {
  it('shows a booking with its local start, as JSON with --json; an unknown id exits 3', async () => {
    const booking = await b.book(0);
    const human = await runCli(['bookings', 'get', booking.id], { env: b.env() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Status\s+scheduled/);
    expect(human.stdout).toContain(`${booking.starts_at} (`);
    const json = await runCli(['bookings', 'get', booking.id, '--json'], { env: b.env() });
    expect(JSON.parse(json.stdout).booking).toEqual(booking);
    const missing = await runCli(['bookings', 'get', 'bkg_missing'], { env: b.env() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Not found');
  });
});
