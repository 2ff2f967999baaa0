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
