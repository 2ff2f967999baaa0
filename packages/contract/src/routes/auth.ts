import { ErrorText } from '../errors.js';
import { LoginRequest, LoginResponse, LogoutResponse, RefreshTokenRequest, RegisterRequest, StaffUser } from '../schemas/auth.js';
import { defineRoute } from '../route.js';

const bodyErrors = { 400: [ErrorText.invalidBody, ErrorText.malformedJson] } as const;

/** Staff accounts and sessions: register, log in, refresh, log out. */
export const authRoutes = {
  register: defineRoute({
    id: 'register',
    method: 'POST',
    path: '/auth/register',
    summary: 'Create a staff or admin account',
    description:
      'On a server with no admin account yet (development mode), anyone may create the first admin: the seed\u2019s ' +
      '`curl` does exactly that. From then on only an admin may create accounts: send the admin\u2019s bearer token. ' +
      'In production mode there is no anonymous first admin; configure `CAREOS_ADMIN_EMAIL` and `CAREOS_ADMIN_PASSWORD`.',
    tags: ['Auth'],
    auth: 'none',
    optionalStaffToken: true,
    roles: ['admin'],
    body: RegisterRequest,
    status: 201,
    response: StaffUser,
    errors: {
      ...bodyErrors,
      401: [ErrorText.notAuthenticated, ErrorText.tokenExpired],
      403: [ErrorText.forbidden],
      409: [ErrorText.accountExists],
    },
  }),

  login: defineRoute({
    id: 'login',
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in a staff or admin account: a short-lived bearer token and a refresh token',
    description:
      'Attempts are limited per account and client address and per address (see the server README); while a limit ' +
      'holds every attempt, with the right password too, gets 429 `RATE_LIMITED` with `Retry-After`. A success ' +
      "clears the account's failure count.",
    tags: ['Auth'],
    auth: 'none',
    body: LoginRequest,
    status: 200,
    response: LoginResponse,
    errors: { 400: [ErrorText.invalidBody], 401: [ErrorText.invalidCredentials], 429: [ErrorText.rateLimited] },
  }),

  refreshToken: defineRoute({
    id: 'refreshToken',
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for a new access token and refresh token',
    description:
      'Each refresh token works once. Presenting one that was already exchanged means it was copied: the whole ' +
      'session (every token issued from the same login) is revoked and the answer is 401 `REFRESH_TOKEN_REUSED`; ' +
      'log in again. The new access token carries the account\u2019s current role.',
    tags: ['Auth'],
    auth: 'none',
    body: RefreshTokenRequest,
    status: 200,
    response: LoginResponse,
    errors: { ...bodyErrors, 401: [ErrorText.invalidRefreshToken, ErrorText.tokenExpired] },
  }),

  logout: defineRoute({
    id: 'logout',
    method: 'POST',
    path: '/auth/logout',
    summary: 'End a session: its refresh tokens stop working',
    description:
      'Revokes every refresh token of the session the given one belongs to. Access tokens already issued stay valid ' +
      'until they expire (minutes): drop them on the client.',
    tags: ['Auth'],
    auth: 'none',
    body: RefreshTokenRequest,
    status: 200,
    response: LogoutResponse,
    errors: { ...bodyErrors, 401: [ErrorText.invalidRefreshToken] },
  }),
} as const;
