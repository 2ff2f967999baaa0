import { BusinessSettings, UpdateBusinessSettingsRequest } from '../schemas/bookings.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors } from './shared.js';

const tags = ['Admin'] as const;

/** Settings of the business: its time zone, in which booking messages give local times. */
export const settingsRoutes = {
  getBusinessSettings: defineRoute({
    id: 'getBusinessSettings',
    method: 'GET',
    path: '/admin/settings',
    summary: 'The business settings (time zone)',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: BusinessSettings,
    errors: adminErrors,
  }),

  updateBusinessSettings: defineRoute({
    id: 'updateBusinessSettings',
    method: 'PATCH',
    path: '/admin/settings',
    summary: 'Change the business settings (admin): the IANA time zone',
    description: 'Booking times stay UTC instants; the time zone only changes how messages sent from now on give them.',
    tags,
    auth: 'staffJwt',
    roles: ['admin'],
    body: UpdateBusinessSettingsRequest,
    status: 200,
    response: BusinessSettings,
    errors: adminWriteErrors,
  }),
} as const;
