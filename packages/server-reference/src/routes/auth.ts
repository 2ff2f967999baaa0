import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Staff login. */
export function bindAuthRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.login, async ({ body, ip, ctx }) => {
    // Counted before the password is checked: while a limit holds, even the right password gets the 429.
    const attempt = await kit.attemptLimits.login(kit.services.staff.loginLimitKey(body.email), ip);
    // The audit row names the account tried (never the email typed) and, on success, who logged in.
    const session = await kit.services.staff.login(body.email, body.password, (id) => (ctx.auditSubject = { type: 'staff', id }));
    await attempt.succeeded();
    ctx.staff = { staffId: session.user.id, email: session.user.email, role: session.user.role };
    return { body: session };
  });
}
