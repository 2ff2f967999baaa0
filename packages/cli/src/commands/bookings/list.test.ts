import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings list', () => {
  it('lists bookings in start order, filtered by status, as a table or JSON', async () => {
    const later = await b.book(3);
    const sooner = await b.book(1);
    const cancelled = await b.book(2);
    await b.fx.ops.bookings.cancel(cancelled.id);
    const json = await runCli(['bookings', 'list', '--contact', b.contactId, '--json'], { env: b.env() });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).bookings.map((b: { id: string }) => b.id)).toEqual([sooner.id, cancelled.id, later.id]);
    const scheduled = await runCli(['bookings', 'list', '--status', 'scheduled', '--from', at(0), '--limit', '1'], { env: b.env() });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toContain(sooner.id);
    expect(scheduled.stdout).toContain('More: --cursor');
    expect((await runCli(['bookings', 'list', '--status', 'maybe'], { env: b.env() })).code).toBe(2);
  });
});
