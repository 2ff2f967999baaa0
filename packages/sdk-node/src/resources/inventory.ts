import { routes, type InventoryItem, type RouteBody, type RouteQuery } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = {
  create: routes.createInventoryItem,
  list: routes.listInventory,
  lowStock: routes.listLowStock,
  retrieve: routes.getInventoryItem,
  update: routes.updateInventoryItem,
  adjust: routes.updateInventoryItem,
} as const;

/** Body of `inventory.create()`: `name`, `quantity`, and optionally `sku`, `unit`, `low_stock_threshold`. */
export type InventoryCreateParams = RouteBody<typeof routes.createInventoryItem>;
/** Body of `inventory.update()`: fields to change, and the stock set (`quantity`) or moved (`adjust_by`). */
export type InventoryUpdateParams = RouteBody<typeof routes.updateInventoryItem>;
/** Query of `inventory.list()`: `q` (name contains), `low_stock`, `limit`, `cursor`. */
export type InventoryListParams = RouteQuery<typeof routes.listInventory>;
/** Query of `inventory.lowStock()`: `limit`, `cursor`. */
export type LowStockListParams = RouteQuery<typeof routes.listLowStock>;

/** Supplies in stock. Staff read them; creating and changing them takes the admin role. */
export class Inventory extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Adds an item; one at or below its threshold raises its `inventory_low` alert at once. */
  create(body: InventoryCreateParams, options?: RequestOptions): APIPromise<InventoryItem> {
    return this._client.request(R.create, { body }, options);
  }

  /** Items, newest first; iterate with `for await` to walk every page. */
  list(query?: InventoryListParams, options?: RequestOptions): PagePromise<InventoryItem> {
    return this._client.requestPage(R.list, query, options);
  }

  /** Items at or below their low-stock threshold; iterate with `for await` to walk every page. */
  lowStock(query?: LowStockListParams, options?: RequestOptions): PagePromise<InventoryItem> {
    return this._client.requestPage(R.lowStock, query, options);
  }

  /** One item. */
  retrieve(id: string, options?: RequestOptions): APIPromise<InventoryItem> {
    return this._client.request(R.retrieve, { params: { id } }, options);
  }

  /** Changes an item's fields, or its stock (`quantity` sets it, `adjust_by` moves it atomically). */
  update(id: string, body: InventoryUpdateParams, options?: RequestOptions): APIPromise<InventoryItem> {
    return this._client.request(R.update, { params: { id }, body }, options);
  }

  /** Moves the stock by `by` (negative takes away) atomically; `INSUFFICIENT_STOCK` (409) if it would go below 0. */
  adjust(id: string, by: number, options?: RequestOptions): APIPromise<InventoryItem> {
    return this._client.request(R.adjust, { params: { id }, body: { adjust_by: by } }, options);
  }
}
