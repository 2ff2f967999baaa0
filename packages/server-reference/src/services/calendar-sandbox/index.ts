import type { ServiceContext } from '../context.js';
import type { SettingsService } from '../settings.js';
import { SandboxAuthorizationServer } from './authorization.js';
import { SandboxCalendarEvents } from './events.js';
import { SandboxCalendarSite } from './site.js';

/** The sandbox calendar provider: where it lives, its authorization server, its events API. */
export interface SandboxCalendarServices {
  site: SandboxCalendarSite;
  authorization: SandboxAuthorizationServer;
  events: SandboxCalendarEvents;
}

/** Wires the sandbox calendar provider's services. */
export function createSandboxCalendarServices(ctx: ServiceContext, settings: SettingsService): SandboxCalendarServices {
  const site = new SandboxCalendarSite(ctx, settings);
  const events = new SandboxCalendarEvents(ctx);
  return { site, events, authorization: new SandboxAuthorizationServer(ctx, site, events) };
}
