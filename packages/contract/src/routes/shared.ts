// Error sets, tags and texts that several areas of the route table share.
import { ErrorText } from '../errors.js';

export const partnerAuthErrors = { 401: [ErrorText.invalidApiKey], 429: [ErrorText.rateLimited] } as const;
export const adminErrors = { 401: [ErrorText.notAuthenticated, ErrorText.tokenExpired], 403: [ErrorText.forbidden] } as const;
export const listErrors = { 400: [ErrorText.invalidQuery] } as const;
/** Every integration-token route can fail these ways (seed §1, §4, §7). */
export const integrationErrors = {
  401: [ErrorText.invalidIntegrationToken, ErrorText.tokenExpired, ErrorText.integrationAccessRevoked, ErrorText.therapistNotFound],
  403: [ErrorText.ipNotAllowed],
  429: [ErrorText.rateLimited],
} as const;
export const integrationTag = ['Integration'] as const;
export const adminWriteErrors = { 400: [ErrorText.invalidBody, ErrorText.malformedJson], ...adminErrors } as const;
