import { readFileSync } from 'node:fs';
import type { RouteSpec } from '@careos/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiMdPath, collectApiMethods, renderApiMd, unmappedRoutes } from '../scripts/api-map.js';
import { CareOSCore } from '../src/core/core.js';
import { CareOS, CareOSIntegration, LookupClient } from '../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('api.md', () => {
  it('is up to date (regenerate with `pnpm --filter @careos/sdk api-md`)', () => {
    expect(readFileSync(apiMdPath, 'utf8')).toBe(renderApiMd());
  });

  it('every contract route has an SDK method', () => {
    expect(unmappedRoutes(collectApiMethods()).map((r) => r.id)).toEqual([]);
  });

  it('every method calls the route its resource maps it to', () => {
    const called: RouteSpec[] = [];
    const record = (route: RouteSpec) => {
      called.push(route);
      return Promise.resolve() as never;
    };
    vi.spyOn(CareOSCore.prototype, 'requestPage').mockImplementation(record);
    vi.spyOn(CareOSCore.prototype, 'cachedToken').mockImplementation(record);
    // Input given as a function is built lazily by the core; build it so a resource that reads its arguments there is exercised too.
    vi.spyOn(CareOSCore.prototype, 'request').mockImplementation((route: RouteSpec, input?: unknown) => {
      if (typeof input === 'function') input();
      return record(route);
    });
    const methods = collectApiMethods({ client: new CareOS({ env: {} }), integration: new CareOSIntegration({ env: {} }), lookup: new LookupClient({ env: {} }) });
    expect(methods.length).toBeGreaterThanOrEqual(33);
    for (const method of methods) {
      const fn = (method.resource as unknown as Record<string, (...args: unknown[]) => unknown>)[method.name];
      expect(typeof fn).toBe('function');
      fn?.call(method.resource, 'arg1', 'arg2', 'arg3');
      expect(called.at(-1), `${method.owner}.${method.name}`).toBe(method.route);
    }
    expect(called).toHaveLength(methods.length);
  });

  it('method names are unique per resource and each resource method is 2–5 lines', () => {
    const methods = collectApiMethods();
    const keys = methods.map((m) => `${m.owner}.${m.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const method of methods) {
      const source = readFileSync(new URL(`../${method.file}`, import.meta.url), 'utf8');
      const start = source.indexOf(`  ${method.name}(`);
      const end = source.indexOf('\n  }\n', start);
      const lines = source.slice(start, end + 4).trim().split('\n').length;
      expect(lines, `${method.owner}.${method.name}`).toBeGreaterThanOrEqual(2);
      expect(lines, `${method.owner}.${method.name}`).toBeLessThanOrEqual(5);
    }
  });
});
