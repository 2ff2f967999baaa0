import type { RequestContext } from '../http/context.js';
import type { Actor } from '../services/automation.js';

/**
 * The signed-in staff member as the actor of a decision a service audits itself (beside the
 * route's own audit row, with the same request id). Only called on staff-only routes, which
 * authentication has already admitted.
 */
export function staffActor(ctx: RequestContext, ip: string | undefined): Actor {
  if (!ctx.staff) throw new Error('staffActor called on a route without a staff caller');
  return { staffId: ctx.staff.staffId, requestId: ctx.requestId, ip: ip ?? null };
}
