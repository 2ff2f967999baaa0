import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Staff accounts and sessions: register, login, refresh, logout. */
export function bindAuthRoutes(router: Router, kit: HttpKit): void {
  const { staff } = kit.services;

  bindRoute(router, kit, routes.register, async ({ body, ctx }) => {
    // The route takes an optional staff token (verified before this runs): anonymous only for the bootstrap admin.
    const account = await staff.register(body, ctx.staff ?? null);
    ctx.auditSubject = { type: 'staff', id: account.id };
    return { body: { id: account.id, email: account.email, name: account.name, role: account.role, created_at: account.createdAt.toISOString() } };
  });

  bindRoute(router, kit, routes.login, async ({ body, ip, ctx }) => {
    // Counted before the password is checked: while a limit holds, even the right password gets the 429.
    const attempt = await kit.attemptLimits.login(staff.loginLimitKey(body.email), ip);
    // The audit row names the account tried (never the email typed) and, on success, who logged in.
    const session = await staff.login(body.email, body.password, (id) => (ctx.auditSubject = { type: 'staff', id }));
    await attempt.succeeded();
    ctx.staff = { staffId: session.user.id, email: session.user.email, role: session.user.role };
    return { body: session };
  });

  bindRoute(router, kit, routes.refreshToken, async ({ body, ctx }) => {
    const session = await staff.refresh(body.refresh_token, (id) => (ctx.auditSubject = { type: 'staff', id }));
    ctx.staff = { staffId: session.user.id, email: session.user.email, role: session.user.role };
    return { body: session };
  });

  bindRoute(router, kit, routes.logout, async ({ body, ctx }) => {
    ctx.auditSubject = { type: 'staff', id: await staff.logout(body.refresh_token) };
    return { body: { logged_out: true as const } };
  });
}
