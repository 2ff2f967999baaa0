import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** The partner's own payments. */
export function bindPaymentRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.listPartnerPayments, async ({ query, ctx }) => {
    const { payments, nextCursor } = await kit.services.payments.listForPartner(ctx.partner!, query);
    return { body: { payments, next_cursor: nextCursor } };
  });
}
