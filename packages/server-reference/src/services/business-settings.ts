import { quietUntil, type QuietHours } from '../domain/quiet-hours.js';
import type { ServiceContext } from './context.js';
import type { SettingsService } from './settings.js';

/** Key of the business time zone in the `settings` table. */
export const TIME_ZONE_SETTING = 'business_time_zone';
/** Key of the quiet hours in the `settings` table: `{start, end}` as JSON, or `null` for none. */
export const QUIET_HOURS_SETTING = 'business_quiet_hours';
/** How long the outbox reuses the settings it read for quiet hours, ms. */
export const QUIET_WINDOW_CACHE_MS = 5_000;

/**
 * The business's settings that staff share: its IANA time zone, in which booking messages give
 * local times, and its quiet hours, in which automated messages wait. Stored in `settings` (shared by every instance, read on use so a change made
 * through one instance holds on all); until an admin sets them, `CAREOS_TIME_ZONE` and
 * `CAREOS_QUIET_HOURS` apply.
 */
export class BusinessSettingsService {
  #window: { readAt: number; zone: string; quiet: QuietHours | null } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Until when automated messages must wait at `now`: `null` outside quiet hours. The outbox
   * asks once per claimed batch, so the two settings are read at most every
   * {@link QUIET_WINDOW_CACHE_MS} (a change made on another instance applies within that).
   */
  async quietUntil(now: Date): Promise<Date | null> {
    if (!this.#window || now.getTime() - this.#window.readAt > QUIET_WINDOW_CACHE_MS || now.getTime() < this.#window.readAt) {
      const { time_zone: zone, quiet_hours: quiet } = await this.all();
      this.#window = { readAt: now.getTime(), zone, quiet };
    }
    return this.#window.quiet ? quietUntil(now, this.#window.zone, this.#window.quiet) : null;
  }

  /** The business time zone. */
  async timeZone(): Promise<string> {
    return (await this.settings.get(TIME_ZONE_SETTING)) ?? this.ctx.config.bookings.defaultTimeZone;
  }

  /** Sets the business time zone (validated by the contract). */
  async setTimeZone(zone: string): Promise<string> {
    await this.settings.set(TIME_ZONE_SETTING, zone);
    this.#window = null;
    return zone;
  }

  /** The quiet-hours window, or `null` for none. */
  async quietHours(): Promise<QuietHours | null> {
    const stored = await this.settings.get(QUIET_HOURS_SETTING);
    return stored === null ? this.ctx.config.bookings.defaultQuietHours : (JSON.parse(stored) as QuietHours | null);
  }

  /** Sets the quiet hours (validated by the contract); `null` turns them off. */
  async setQuietHours(window: QuietHours | null): Promise<QuietHours | null> {
    await this.settings.set(QUIET_HOURS_SETTING, JSON.stringify(window));
    this.#window = null;
    return window;
  }

  /** Both settings, as `GET /admin/settings` answers them. */
  async all(): Promise<{ time_zone: string; quiet_hours: QuietHours | null }> {
    const [timeZone, quietHours] = await Promise.all([this.timeZone(), this.quietHours()]);
    return { time_zone: timeZone, quiet_hours: quietHours };
  }
}
