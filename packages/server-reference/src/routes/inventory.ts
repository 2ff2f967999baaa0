import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Inventory routes. `/inventory/low-stock` is bound before `/inventory/{id}`, which would match it too. */
export function bindInventoryRoutes(router: Router, kit: HttpKit): void {
  const { inventory } = kit.services;

  bindRoute(router, kit, routes.createInventoryItem, async ({ body, ctx }) => {
    const item = await inventory.create({ name: body.name, sku: body.sku, unit: body.unit, quantity: body.quantity, lowStockThreshold: body.low_stock_threshold });
    ctx.auditSubject = { type: 'inventory_item', id: item.id };
    return { body: item };
  });

  bindRoute(router, kit, routes.listInventory, async ({ query }) => {
    const page = await inventory.list({ limit: query.limit, cursor: query.cursor, search: query.q, lowStock: query.low_stock });
    return { body: { items: page.items, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.listLowStock, async ({ query }) => {
    const page = await inventory.list({ limit: query.limit, cursor: query.cursor, lowStock: true });
    return { body: { items: page.items, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.getInventoryItem, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'inventory_item', id: params.id };
    return { body: await inventory.get(params.id) };
  });

  bindRoute(router, kit, routes.updateInventoryItem, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'inventory_item', id: params.id };
    const item = await inventory.update(params.id, {
      name: body.name,
      sku: body.sku,
      unit: body.unit,
      quantity: body.quantity,
      adjustBy: body.adjust_by,
      lowStockThreshold: body.low_stock_threshold,
    });
    return { body: item };
  });
}
