import { describe, expect, it } from 'vitest';
import { TokenManager, jwtExpiry, type AccessToken } from './token-manager.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TokenManager', () => {
  it('fetches once for 100 concurrent callers', async () => {
    let fetches = 0;
    const gate = deferred<AccessToken>();
    const manager = new TokenManager({
      fetchToken: () => {
        fetches++;
        return gate.promise;
      },
    });
    const waiting = Array.from({ length: 100 }, () => manager.getToken());
    gate.resolve({ token: 't1', expiresAt: Date.now() + 3_600_000 });
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['t1']));
    expect(fetches).toBe(1);
    expect(manager.peek()).toBe('t1');
  });

  it('refreshes in the background when the token gets old, without blocking', async () => {
    let now = 0;
    let fetches = 0;
    const next = deferred<AccessToken>();
    const manager = new TokenManager({
      now: () => now,
      initial: { token: 'old', expiresAt: 600_000 },
      backgroundRefreshBefore: 300_000,
      refreshBefore: 60_000,
      fetchToken: () => {
        fetches++;
        return next.promise;
      },
    });
    expect(await manager.getToken()).toBe('old');
    expect(fetches).toBe(0);
    now = 400_000; // 200 s left: inside the background window
    expect(await manager.getToken()).toBe('old');
    expect(await manager.getToken()).toBe('old');
    expect(fetches).toBe(1);
    next.resolve({ token: 'new', expiresAt: 4_000_000 });
    await next.promise;
    await Promise.resolve();
    expect(await manager.getToken()).toBe('new');
  });

  it('scales its windows to a short-lived token instead of refreshing it on every call', async () => {
    let now = 0;
    let fetches = 0;
    const manager = new TokenManager({ now: () => now, fetchToken: async () => ({ token: `t${++fetches}`, expiresAt: now + 120_000 }) });
    expect(await manager.getToken()).toBe('t1');
    now = 50_000; // 70 s left: inside the usual 5 minutes, but more than half of a 2-minute life
    for (let i = 0; i < 10; i++) expect(await manager.getToken()).toBe('t1');
    expect(fetches).toBe(1);
    now = 70_000; // 50 s left: under half, so one refresh starts in the background
    expect(await manager.getToken()).toBe('t1'); // served at once while t2 is fetched
    await new Promise((resolve) => setImmediate(resolve));
    expect(fetches).toBe(2);
    expect(await manager.getToken()).toBe('t2');
    now = 70_000 + 95_000; // 25 s left of t2: under a quarter, so callers wait for a new one
    expect(manager.peek()).toBeUndefined();
    expect(await manager.getToken()).toBe('t3');
  });

  it('blocks callers once the token is nearly expired', async () => {
    let now = 0;
    const manager = new TokenManager({
      now: () => now,
      initial: { token: 'old', expiresAt: 100_000 },
      fetchToken: async () => ({ token: 'fresh', expiresAt: now + 3_600_000 }),
    });
    now = 50_000; // 50 s left, under the 60 s threshold
    expect(manager.peek()).toBeUndefined();
    expect(await manager.getToken()).toBe('fresh');
  });

  it('invalidate drops only the stale token', async () => {
    let n = 0;
    const manager = new TokenManager({ fetchToken: async () => ({ token: `t${++n}`, expiresAt: Infinity }) });
    expect(await manager.getToken()).toBe('t1');
    manager.invalidate('t1');
    manager.invalidate('t1');
    expect(await manager.getToken()).toBe('t2');
    manager.invalidate('t1'); // late report about the old token: ignored
    expect(await manager.getToken()).toBe('t2');
    expect(n).toBe(2);
  });

  it('passes a failed fetch to every waiter, then tries again on the next call', async () => {
    let n = 0;
    const manager = new TokenManager({
      fetchToken: async () => {
        n++;
        if (n === 1) throw new Error('login failed');
        return { token: 'ok', expiresAt: Infinity };
      },
    });
    const results = await Promise.allSettled([manager.getToken(), manager.getToken()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await manager.getToken()).toBe('ok');
    expect(n).toBe(2);
  });

  it('a synchronous throw from fetchToken becomes a rejection', async () => {
    const manager = new TokenManager({
      fetchToken: () => {
        throw new Error('sync');
      },
    });
    await expect(manager.getToken()).rejects.toThrow('sync');
  });

  it('reports background failures and keeps the current token', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const manager = new TokenManager({
      now: () => now,
      initial: { token: 'current', expiresAt: 200_000 },
      fetchToken: async () => {
        throw new Error('down');
      },
      onBackgroundError: (error) => errors.push(error),
    });
    now = 100_000;
    expect(await manager.getToken()).toBe('current');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(await manager.getToken()).toBe('current');
  });

  it('a waiter can stop waiting with its signal while the refresh carries on', async () => {
    const gate = deferred<AccessToken>();
    const manager = new TokenManager({ fetchToken: () => gate.promise });
    const controller = new AbortController();
    const first = manager.getToken(controller.signal);
    const second = manager.getToken();
    controller.abort();
    await expect(first).rejects.toThrow();
    gate.resolve({ token: 'x', expiresAt: Infinity });
    expect(await second).toBe('x');
  });
});

describe('jwtExpiry', () => {
  const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
  it('reads exp in ms and tolerates anything else', () => {
    expect(jwtExpiry(jwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(jwtExpiry(jwt({ sub: 'x' }))).toBe(Infinity);
    expect(jwtExpiry('opaque-token')).toBe(Infinity);
    expect(jwtExpiry('a.%%%.c')).toBe(Infinity);
  });
});
