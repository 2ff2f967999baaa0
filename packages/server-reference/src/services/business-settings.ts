import type { ServiceContext } from './context.js';
import type { SettingsService } from './settings.js';

/** Key of the business time zone in the `settings` table. */
export const TIME_ZONE_SETTING = 'business_time_zone';

/**
 * The business's settings that staff share: its IANA time zone, in which booking messages give
 * local times. Stored in `settings` (shared by every instance, read on use so a change made
 * through one instance holds on all); until an admin sets it, `CAREOS_TIME_ZONE` applies.
 */
export class BusinessSettingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
  ) {}

  /** The business time zone. */
  async timeZone(): Promise<string> {
    return (await this.settings.get(TIME_ZONE_SETTING)) ?? this.ctx.config.bookings.defaultTimeZone;
  }

  /** Sets the business time zone (validated by the contract). */
  async setTimeZone(zone: string): Promise<string> {
    await this.settings.set(TIME_ZONE_SETTING, zone);
    return zone;
  }
}
