import { openDatabase } from '@careos/server-reference';
import { interleaved, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

/** Staff members the inserted bookings rotate over (each gets consecutive, non-overlapping slots). */
const STAFF = 50;
const SLOT_MS = 30 * 60_000;

/**
 * (bookings) What the no-double-booking guarantee costs: inserting a booking into the real
 * `bookings` layout with its exclusion constraint (`bookings_staff_no_overlap`, a GiST index over
 * staff and time range) vs the same insert into an identical table without it, on embedded
 * PGlite. The goal: at least 0.8x. Every insert succeeds (slots never overlap), so the figure is
 * the constraint's cost on the happy path, not refusals.
 */
export async function benchBookingOverlap(options: MeasureOptions): Promise<boolean[]> {
  section('Bookings: insert with the overlap constraint vs the same table without it (embedded PGlite)');
  const db = await openDatabase({});
  try {
    // Same columns, checks and btree indexes as `bookings` (LIKE copies no foreign keys, and the
    // exclusion constraint only with INCLUDING INDEXES, which is left out on purpose).
    for (const name of ['bench_bookings_guarded', 'bench_bookings_plain']) {
      await db.orm.execute(`create table ${name} (like bookings including defaults including constraints)`);
      await db.orm.execute(`alter table ${name} add primary key (id)`);
      await db.orm.execute(`create index on ${name} (starts_at, id)`);
      await db.orm.execute(`create index on ${name} (staff_id, starts_at)`);
      await db.orm.execute(`create index on ${name} (contact_id, starts_at)`);
      await db.orm.execute(`create index on ${name} (reminder_due_at) where reminder_due_at is not null`);
    }
    // The guard is copied from the live table, so the bench measures the constraint as migrated.
    const guard = (await db.orm.execute(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'bookings_staff_no_overlap'`)) as unknown as {
      rows: { def: string }[];
    };
    await db.orm.execute(`alter table bench_bookings_guarded add constraint bench_no_overlap ${guard.rows[0]!.def}`);
    const start = Date.UTC(2030, 0, 1);
    const details = 'v1.bench.' + 'x'.repeat(120);
    const insert = (table: string) => (i: number) => {
      const startsAt = new Date(start + Math.floor(i / STAFF) * SLOT_MS);
      const endsAt = new Date(startsAt.getTime() + SLOT_MS);
      const now = new Date().toISOString();
      return db.orm.execute(
        `insert into ${table} (id, contact_id, staff_id, details_enc, starts_at, ends_at, status, reminder_due_at, created_at, updated_at)
         values ('bkg_${table.length}_${i}', 'user_bench_${i % 997}', 'staff_bench_${i % STAFF}', '${details}', '${startsAt.toISOString()}', '${endsAt.toISOString()}',
                 'scheduled', '${new Date(startsAt.getTime() - 86_400_000).toISOString()}', '${now}', '${now}')`,
      );
    };
    // Separate counters per variant: each table gets its own run of consecutive slots.
    let guarded = 0;
    let plain = 0;
    const results = await interleaved(
      { guarded: () => insert('bench_bookings_guarded')(guarded++), plain: () => insert('bench_bookings_plain')(plain++) },
      { ...options, concurrency: 8, rounds: 3 },
    );
    figure('Bookings inserted into the guarded table', guarded, 'rows');
    figure('Bookings inserted into the plain table', plain, 'rows');
    return [
      compare({
        name: 'Booking insert with the overlap constraint',
        ours: { label: 'with bookings_staff_no_overlap', value: results.guarded.opsPerSecond },
        baseline: { label: 'identical table without it', value: results.plain.opsPerSecond },
        unit: 'inserts/s',
        goal: 0.8,
      }),
    ];
  } finally {
    await db.close();
  }
}
