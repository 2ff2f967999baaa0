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

/** A bearer token for the operations and admin API. */
export const LoginResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the token expires'),
    user: StaffUser,
  })
  .meta({ id: 'LoginResponse' });

/** Parsed login response. */
export type LoginResponse = z.infer<typeof LoginResponse>;
