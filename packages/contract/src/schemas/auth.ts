import { z } from 'zod';
import { Timestamp, prefixedId } from '../common.js';

/** Roles of CareOps staff accounts. */
export const StaffRole = z.enum(['admin', 'staff']).meta({ id: 'StaffRole' });

/** A role of a staff account. */
export type StaffRole = z.infer<typeof StaffRole>;

/** A staff account (never its password hash). */
export const StaffUser = z
  .object({
    id: prefixedId('staff'),
    email: z.string(),
    name: z.string(),
    role: StaffRole,
    created_at: Timestamp,
  })
  .meta({ id: 'StaffUser' });

/** Body of `POST /auth/login` (CareOps seed). */
export const LoginRequest = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()).describe('Account email'),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'LoginRequest' });

/** Body of `POST /auth/register` (CareOps seed): a new staff or admin account. */
export const RegisterRequest = z
  .object({
    name: z.string().trim().min(1).max(200).describe('Display name'),
    email: z.string().trim().toLowerCase().pipe(z.email()).describe('Account email, the login'),
    password: z.string().min(8).max(1024).describe('At least 8 characters'),
    role: StaffRole.default('staff').describe('`admin` or `staff` (default)'),
  })
  .meta({ id: 'RegisterRequest' });

/**
 * A short-lived bearer token for the operations and admin API, with the refresh token that
 * renews it (`POST /auth/refresh`). Each refresh token works once: refreshing returns a new one.
 */
export const LoginResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the access token expires'),
    refresh_token: z.string().describe('Single use: exchange it at `POST /auth/refresh` for a new pair'),
    refresh_expires_in: z.number().int().describe('Seconds until the refresh token expires unused'),
    user: StaffUser,
  })
  .meta({ id: 'LoginResponse' });

/** Body of `POST /auth/refresh` and `POST /auth/logout`. */
export const RefreshTokenRequest = z
  .object({ refresh_token: z.string().min(1).max(200).describe('The refresh token of the session') })
  .meta({ id: 'RefreshTokenRequest' });

/** Answer of `POST /auth/logout`. */
export const LogoutResponse = z
  .object({ logged_out: z.literal(true).describe('The session is over: its refresh tokens no longer work') })
  .meta({ id: 'LogoutResponse' });

/** Parsed login response. */
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Parsed staff account. */
export type StaffUser = z.infer<typeof StaffUser>;
/** Register request as a caller writes it (`role` may be left out). */
export type RegisterRequest = z.input<typeof RegisterRequest>;
