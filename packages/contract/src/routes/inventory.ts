import { z } from 'zod';
import { IdParam, ListQuery } from '../common.js';
import { ErrorText } from '../errors.js';
import { CreateInventoryItemRequest, InventoryItem, InventoryList, InventoryListQuery, UpdateInventoryItemRequest } from '../schemas/inventory.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors, listErrors } from './shared.js';

const tags = ['Inventory'] as const;
const itemParams = z.object({ id: IdParam });

/**
 * Supplies in stock (CareOps seed). Staff see the stock; admins add items and change it. Every
 * change of stock is atomic, and an item that falls to its threshold raises one `inventory_low`
 * alert (see `/alerts`) until it is restocked above it.
 */
export const inventoryRoutes = {
  createInventoryItem: defineRoute({
    id: 'createInventoryItem',
    method: 'POST',
    path: '/inventory',
    summary: 'Add an item to the inventory',
    description: 'An item created at or below its threshold raises its `inventory_low` alert at once.',
    tags,
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateInventoryItemRequest,
    status: 201,
    response: InventoryItem,
    errors: { ...adminWriteErrors, 409: [ErrorText.skuExists] },
  }),

  listInventory: defineRoute({
    id: 'listInventory',
    method: 'GET',
    path: '/inventory',
    summary: 'Inventory items, newest first; search by name, filter by low stock',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: InventoryListQuery,
    status: 200,
    response: InventoryList,
    errors: { ...listErrors, ...adminErrors },
  }),

  listLowStock: defineRoute({
    id: 'listLowStock',
    method: 'GET',
    path: '/inventory/low-stock',
    summary: 'Items at or below their low-stock threshold, newest first',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: ListQuery,
    status: 200,
    response: InventoryList,
    errors: { ...listErrors, ...adminErrors },
  }),

  getInventoryItem: defineRoute({
    id: 'getInventoryItem',
    method: 'GET',
    path: '/inventory/{id}',
    summary: 'One inventory item',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: itemParams,
    status: 200,
    response: InventoryItem,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  updateInventoryItem: defineRoute({
    id: 'updateInventoryItem',
    method: 'PATCH',
    path: '/inventory/{id}',
    summary: 'Change an item: its fields, its stock set (`quantity`) or adjusted (`adjust_by`)',
    description:
      'The change is one atomic step: concurrent adjustments never lose one another, and a stock that would go below 0 ' +
      'is refused with 409 `INSUFFICIENT_STOCK` (nothing changes). Reaching the threshold or below raises one ' +
      '`inventory_low` alert; further drops raise no more; a stock above the threshold again resolves that alert and ' +
      're-arms the item, so its next fall raises a new one.',
    tags,
    auth: 'staffJwt',
    roles: ['admin'],
    params: itemParams,
    body: UpdateInventoryItemRequest,
    status: 200,
    response: InventoryItem,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound], 409: [ErrorText.insufficientStock, ErrorText.skuExists] },
  }),
} as const;
