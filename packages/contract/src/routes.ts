import { metaRoutes } from './routes/meta.js';
import { leadRoutes } from './routes/leads.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { integrationRoutes } from './routes/integration.js';
import { integrationAdminRoutes } from './routes/integration-admin.js';
import { webhookRoutes } from './routes/webhooks.js';
import { lookupRoutes } from './routes/lookup.js';
import { auditRoutes } from './routes/audit.js';
import { inventoryRoutes } from './routes/inventory.js';
import { alertRoutes } from './routes/alerts.js';
import { contactRoutes } from './routes/contacts.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { bookingRoutes } from './routes/bookings.js';
import { settingsRoutes } from './routes/settings.js';
import { messageRoutes } from './routes/messages.js';
import { integrationCheckRoutes } from './routes/integration-checks.js';
import { commsRoutes } from './routes/comms.js';
import { providerWebhookRoutes } from './routes/provider-webhooks.js';
import { calendarPushRoutes } from './routes/calendar-push.js';
import { calendarRoutes } from './routes/calendar.js';

/**
 * Every endpoint of the API, keyed by route id. Each area of the API keeps its routes in a file
 * of its own under `routes/`; the order here is the table order (and the OpenAPI document's).
 */
export const routes = {
  ...metaRoutes,
  ...leadRoutes,
  ...authRoutes,
  ...adminRoutes,
  ...integrationRoutes,
  ...integrationAdminRoutes,
  ...webhookRoutes,
  ...lookupRoutes,
  ...auditRoutes,
  ...inventoryRoutes,
  ...alertRoutes,
  ...contactRoutes,
  ...dashboardRoutes,
  ...bookingRoutes,
  ...settingsRoutes,
  ...messageRoutes,
  ...integrationCheckRoutes,
  ...commsRoutes,
  ...providerWebhookRoutes,
  ...calendarPushRoutes,
  ...calendarRoutes,
} as const;

/** The route table type. */
export type Routes = typeof routes;
/** A route id. */
export type RouteId = keyof Routes;
/** All routes as a list, in table order. */
export const routeList = Object.values(routes);
