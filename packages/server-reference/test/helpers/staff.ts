import { CareOS } from '@careos/sdk';
import type { TestApp } from './app.js';
import { call } from './http.js';

/** A staff account made for a test, with the headers that carry its bearer token. */
export interface StaffSession {
  id: string;
  headers: Record<string, string>;
}

/** Creates an account of `role` on the test server and logs it in. */
export async function staffSession(server: TestApp, role: 'admin' | 'staff', email = `${role}-${Math.random().toString(36).slice(2)}@careos.test`): Promise<StaffSession> {
  const password = `${role} password 1`;
  const account = await server.app.services.staff.create({ email, password, name: role, role });
  const res = await call(server.url, 'POST', '/auth/login', { json: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { id: account.id, headers: { authorization: `Bearer ${res.body.access_token as string}` } };
}

/** SDK clients signed in as a new admin and a new staff member of the test server. */
export interface SdkStaff {
  admin: CareOS;
  staff: CareOS;
  adminId: string;
  staffId: string;
  /** Closes both clients. */
  close(): Promise<void>;
}

/** Creates an admin and a staff account on the test server, each with an SDK client that signs in as it (no retries, no env). */
export async function sdkStaff(server: TestApp): Promise<SdkStaff> {
  const ids: Record<string, string> = {};
  const clients: Record<string, CareOS> = {};
  for (const role of ['admin', 'staff'] as const) {
    const email = `sdk-${role}@careos.test`;
    ids[role] = (await server.app.services.staff.create({ email, password: `${role} password 1`, name: role, role })).id;
    clients[role] = new CareOS({ baseURL: server.url, staffEmail: email, staffPassword: `${role} password 1`, maxRetries: 0, env: {} });
  }
  const admin = clients.admin!;
  const staff = clients.staff!;
  return { admin, staff, adminId: ids.admin!, staffId: ids.staff!, close: async () => void (await Promise.all([admin.close(), staff.close()])) };
}
