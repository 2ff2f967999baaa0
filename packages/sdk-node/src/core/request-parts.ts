import { fillPath, type RouteSpec } from '@careos/contract';
import { CareOSError } from './errors.js';
import { hotSchema } from './hot-schemas.js';
import type { RequestInput } from './request-input.js';
import { validatePart } from './validate.js';

/** Copies headers with lower-cased names, so a caller's `X-API-Key` replaces ours instead of doubling it. */
export function lowerCaseHeaders(headers: Readonly<Record<string, string>> | undefined, into: Record<string, string> = {}): Record<string, string> {
  if (headers === undefined) return into;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) into[name.toLowerCase()] = value;
  }
  return into;
}

/** Serialises parsed query parameters; `undefined` and `null` are left out. */
export function queryString(query: object): string {
  let out = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    out += `${out === '' ? '?' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}

/**
 * Query values as they travel: a query string only carries text, so the contract's query
 * schemas take booleans as `'true'`/`'false'` and times as ISO 8601 strings. Callers may pass
 * `true` and `Date`s; they are written in that form before validation.
 */
function queryWireForm(query: object): object {
  let out: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(query)) {
    // An invalid Date stays as it is and fails validation, rather than throwing a RangeError here.
    if (typeof value !== 'boolean' && !(value instanceof Date && !Number.isNaN(value.getTime()))) continue;
    out ??= { ...query };
    out[name] = value instanceof Date ? value.toISOString() : String(value);
  }
  return out ?? query;
}

/**
 * The request path (prefix + filled route path + query string) after validating path and
 * query parameters against the route's schemas.
 */
export function buildPath(prefix: string, route: RouteSpec, input: RequestInput): string {
  let path = route.path as string;
  if (route.params) path = fillPath(path, validatePart(hotSchema(route.params), input.params ?? {}, 'params') as Record<string, string>);
  const query = route.query ? queryString(validatePart(hotSchema(route.query), queryWireForm(input.query ?? {}), 'query') as object) : '';
  return prefix + path + query;
}

/**
 * The JSON body, serialised once, as bytes reused by every attempt. Validated against the
 * route's schema (and sent as parsed: defaults applied, unknown keys dropped) unless
 * `validate` is false, in which case it goes as given and the server is the only judge. A
 * schema used often is parsed in its compiled form ({@link hotSchema}).
 */
export function buildBody(route: RouteSpec, input: RequestInput, validate = true): Buffer | undefined {
  if (route.body === undefined) return undefined;
  const body = validate ? validatePart(hotSchema(route.body), input.body ?? {}, 'body') : (input.body ?? {});
  return Buffer.from(JSON.stringify(body), 'utf8');
}

const listKeys = new WeakMap<RouteSpec, string>();

/**
 * The field of a list response holding its items (`payments`, `leads`, ...): the one array
 * property of the response object schema. Read from the contract once per route.
 */
export function listItemsKey(route: RouteSpec): string {
  let key = listKeys.get(route);
  if (key !== undefined) return key;
  const shape = (route.response as { shape?: Record<string, { _zod?: { def?: { type?: string } } }> }).shape ?? {};
  const arrays = Object.keys(shape).filter((name) => shape[name]?._zod?.def?.type === 'array');
  if (arrays.length !== 1 || !('next_cursor' in shape)) {
    throw new CareOSError(`Route ${route.id} is not a list route (expected one array field and next_cursor)`);
  }
  key = arrays[0] as string;
  listKeys.set(route, key);
  return key;
}
