import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

describe('careos demo operations', () => {
  it('walks the care-operations story on a throwaway server and exits 0', async () => {
    // DATABASE_URL / REDIS_URL in the caller's environment must not leak into the demo.
    // Its own temp dir, to see what the demo leaves there.
    const tmp = tempDir('careos-demo-tmp-');
    const result = await runCli(['demo', 'operations', '--json'], { env: { DATABASE_URL: 'postgres://127.0.0.1:1/nope', REDIS_URL: 'redis://127.0.0.1:1', TMPDIR: tmp } });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.admin).toMatchObject({ role: 'admin' });
    expect(summary.staff).toMatchObject({ role: 'staff' });
    expect(summary.second_admin_refused).toMatchObject({ status: 401, code: 'AUTH_FAILED' });
    expect(summary.staff_delete_refused).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(summary.welcome).toEqual([expect.objectContaining({ kind: 'welcome', status: 'sent' })]);
    expect(summary.inventory).toMatchObject({ quantity: 9, low_stock: true });
    expect(summary.overdraw_refused).toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK' });
    expect(summary.alerts).toHaveLength(1);
    expect(summary.welcome[0].to_masked).toMatch(/^\+14•+32$/);
    expect(summary.slot_taken).toMatchObject({ status: 409, code: 'SLOT_TAKEN' });
    expect(summary.slot_taken.message).toContain(summary.booking.id);
    expect(summary.back_to_back).toMatchObject({ status: 'scheduled' });
    expect(summary.reply).toMatchObject({ automation_paused: true, message: { kind: 'reply', automated: false } });
    expect(summary.held_confirmation).toMatchObject({ kind: 'booking_confirmation', status: 'cancelled', cancel_reason: 'automation_paused' });
    expect(summary.resumed).toBe(true);
    expect(summary.dashboard).toMatchObject({ contacts: { total: 2 }, inventory: { low_stock: 1 }, alerts: { active: 1 } });
    expect(summary.dashboard.bookings.upcoming).toBeGreaterThanOrEqual(2);
    // The throwaway database and the master key written beside it are both gone.
    expect(readdirSync(tmp).filter((name) => name.startsWith('careos-ops-demo-'))).toEqual([]);
  }, 120_000);
});
