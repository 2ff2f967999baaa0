import { createHash } from 'node:crypto';
import type { TransportOptions } from './api-transport.js';
import type { EventInput, EventsApiAuth, RemoteEvent } from './events-api.js';
import { fromGoogle, GoogleEventsApi, toGoogle, type GoogleEvent } from './google-events-api.js';

/**
 * The sandbox calendar the reference server serves itself: Google's Calendar API v3 at the
 * sandbox's base URL, so the sync and the write side use the Google client unchanged — except
 * for {@link EventInput.key}. The sandbox keeps no extended properties (and refuses
 * `privateExtendedProperty`), so the key becomes the event's id instead: Google lets a client
 * choose an event id (base32hex), the sandbox accepts it, and a lost create is found again by
 * reading that id.
 */
export class SandboxEventsApi extends GoogleEventsApi {
  /** @param apiBaseUrl the sandbox's events API base (`…/sandbox/calendar/api/calendar/v3`) */
  constructor(apiBaseUrl: string, auth: EventsApiAuth, options: TransportOptions = {}) {
    super(apiBaseUrl.replace(/\/calendar\/v3\/?$/, ''), auth, options, 'sandbox');
  }

  override async createEvent(input: EventInput): Promise<RemoteEvent> {
    const body = toGoogle(input);
    if (input.key !== undefined) body.id = eventIdOf(input.key);
    return this.insert(body, input.timeZone);
  }

  override async findByKey(key: string): Promise<RemoteEvent | null> {
    const answer = await this.http.call('GET', `${this.events}/${eventIdOf(key)}`);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw this.http.fail(answer);
    const event = answer.body as unknown as GoogleEvent;
    // A deleted event is still answered, as `cancelled`: it is not the live event asked for.
    return event.status === 'cancelled' ? null : fromGoogle(event, 'UTC');
  }
}

/** The event id a key stands for: hex digits are base32hex, as Google's ids must be. */
function eventIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
