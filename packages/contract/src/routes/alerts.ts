import { ErrorText } from '../errors.js';
import { OpsAlert, OpsAlertCount, OpsAlertList, OpsAlertListQuery, OpsAlertParams } from '../schemas/alerts.js';
import { defineRoute } from '../route.js';
import { adminErrors, listErrors } from './shared.js';

const tags = ['Alerts'] as const;

/**
 * Operations alerts (CareOps seed): failed SMS, payouts and webhook deliveries, items low on
 * stock. Staff and admins see them and dismiss them; a dismissal records who and when.
 */
export const alertRoutes = {
  listAlerts: defineRoute({
    id: 'listAlerts',
    method: 'GET',
    path: '/alerts',
    summary: 'Operations alerts, newest first; filter by type, severity, dismissed',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: OpsAlertListQuery,
    status: 200,
    response: OpsAlertList,
    errors: { ...listErrors, ...adminErrors },
  }),

  countAlerts: defineRoute({
    id: 'countAlerts',
    method: 'GET',
    path: '/alerts/count',
    summary: 'How many alerts are active, in all and by severity',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: OpsAlertCount,
    errors: adminErrors,
  }),

  getAlert: defineRoute({
    id: 'getAlert',
    method: 'GET',
    path: '/alerts/{id}',
    summary: 'One alert',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: OpsAlertParams,
    status: 200,
    response: OpsAlert,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  dismissAlert: defineRoute({
    id: 'dismissAlert',
    method: 'PATCH',
    path: '/alerts/{id}/dismiss',
    summary: 'Dismiss an alert, recording who and when',
    description:
      'Idempotent: dismissing an alert that is already dismissed changes nothing and answers it as it is, with the ' +
      'first dismissal\u2019s account and time.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: OpsAlertParams,
    status: 200,
    response: OpsAlert,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),
} as const;
