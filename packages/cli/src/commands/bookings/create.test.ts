import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startBookingFixture, type BookingFixture } from '../../../test/helpers/bookings.js';
import { runCli } from '../../../test/helpers/cli.js';

let b: BookingFixture;
beforeAll(async () => {
  b = await startBookingFixture();
});
afterAll(() => b?.fx.close());

describe('careos bookings create', () => {
  it('books a contact with a confirmation queued; a taken slot exits 3 naming the booking; a bad start or no end exits 2', async () => {
    const res = await runCli(['bookings', 'create', '--contact', b.contactId, '--staff', b.staffId, '--service', 'Assessment', '--start', at(0), '--minutes', '45', '--json'], { env: b.env() });
    expect(res.code, res.stderr).toBe(0);
    const { booking } = JSON.parse(res.stdout);
    expect(booking).toMatchObject({ contact_id: b.contactId, staff_id: b.staffId, starts_at: at(0), duration_minutes: 45, status: 'scheduled', confirmation_message_id: expect.stringMatching(/^msg_/) });
    const human = await runCli(['bookings', 'create', '--contact', b.contactId, '--staff', b.staffId, '--service', 'Follow-up', '--start', at(1), '--end', at(2)], { env: b.env() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Minutes\s+60/);
    expect(human.stdout).toContain('Confirmation SMS queued: msg_');

    const taken = await runCli(['bookings', 'create', '--contact', b.contactId, '--staff', b.staffId, '--service', 'Clash', '--start', at(0.5), '--minutes', '30'], { env: b.env() });
    expect(taken.code).toBe(3);
    expect(taken.stderr).toContain('The staff member is already booked at that time');
    expect(taken.stderr).toContain(booking.id);
    expect((await runCli(['bookings', 'create', '--contact', b.contactId, '--staff', b.staffId, '--service', 'x', '--start', '2026-03-10T10:00', '--minutes', '30'], { env: b.env() })).code).toBe(2);
    expect((await runCli(['bookings', 'create', '--contact', b.contactId, '--staff', b.staffId, '--service', 'x', '--start', at(5)], { env: b.env() })).code).toBe(2);
  });
});
