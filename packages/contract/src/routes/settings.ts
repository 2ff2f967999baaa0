import { BusinessSettings, UpdateBusinessSettingsRequest } from '../schemas/bookings.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors } from './shared.js';

const tags = ['Admin'] as const;

/** Settings of the business: its time zone, in which booking messages give local times, and its quiet hours. */
export const settingsRoutes = {
  getBusinessSettings: defineRoute({
    id: 'getBusinessSettings',
    method: 'GET',
    path: '/admin/settings',
    summary: 'The business settings (time zone, quiet hours)',
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
    summary: 'Change the business settings (admin): the IANA time zone and the quiet hours',
    description:
      'Booking times stay UTC instants; the time zone only changes how messages sent from now on give them. Quiet hours are read in that time zone, so a window stays at the same local times across daylight-saving changes.',
    tags,
    auth: 'staffJwt',
    roles: ['admin'],
    body: UpdateBusinessSettingsRequest,
    status: 200,
    response: BusinessSettings,
    errors: adminWriteErrors,
  }),
} as const;
