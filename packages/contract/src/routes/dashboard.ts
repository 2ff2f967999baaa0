import { Dashboard } from '../schemas/dashboard.js';
import { defineRoute } from '../route.js';
import { adminErrors } from './shared.js';

/** The operations dashboard (CareOps seed: `GET /dashboard`, business metrics). */
export const dashboardRoutes = {
  getDashboard: defineRoute({
    id: 'getDashboard',
    method: 'GET',
    path: '/dashboard',
    summary: 'Business metrics: contacts, leads, low stock, active alerts, messages queued and failed',
    description:
      'Every figure is exact and kept as the data changes (counters updated in the same transaction as each write), so ' +
      'reading the dashboard costs the same whatever the number of contacts, leads or messages.',
    tags: ['Dashboard'],
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: Dashboard,
    errors: adminErrors,
  }),
} as const;
