import { describe, expect, it } from 'vitest';
import type { ChannelHandlers } from '../../db/notifications.js';
import { LookupAnswerCache } from './answer-cache.js';

const FOUND = { caseId: '9', patient: { name: 'A', phone: null, home_phone: null, cell_phone: null, email: null }, case: {} as never, screenPopUrl: 'https://crm/9' };
const logger = { warn: () => {} } as never;

function cache(options: { cacheMax?: number; listen?: (channel: string, handlers: ChannelHandlers) => Promise<() => Promise<void>> } = {}) {
  const db = { kind: options.listen ? 'postgres' : 'pglite', ...(options.listen ? { listen: options.listen } : {}) } as never;
  const config = { lookup: { cacheMax: options.cacheMax ?? 10, cacheTtlMs: 60_000 } } as never;
  return new LookupAnswerCache({ db, logger, instanceId: 'inst_me', config });
}

describe('LookupAnswerCache', () => {
  it('keeps an answer read under the current generation', () => {
    const answers = cache();
    answers.set('+390622224444', FOUND, answers.generation);
    expect(answers.get('+390622224444')).toBe(FOUND);
  });

  it('drops an answer whose query began before an invalidation', () => {
    const answers = cache();
    const generation = answers.generation;
    answers.invalidate();
    answers.set('+390622224444', FOUND, generation);
    expect(answers.get('+390622224444')).toBeUndefined();
  });

  it('invalidation drops every answer', () => {
    const answers = cache();
    answers.set('+390622224444', FOUND, answers.generation);
    answers.set('+390600000000', { caseId: null }, answers.generation);
    answers.invalidate();
    expect(answers.size).toBe(0);
  });

  it('is bounded, and off with a maximum of 0', () => {
    const bounded = cache({ cacheMax: 2 });
    for (const n of [1, 2, 3]) bounded.set(`+3906000000${n}`, { caseId: null }, bounded.generation);
    expect(bounded.size).toBe(2);
    expect(bounded.get('+39060000001')).toBeUndefined();
    const off = cache({ cacheMax: 0 });
    off.set('+390622224444', FOUND, off.generation);
    expect(off.get('+390622224444')).toBeUndefined();
  });

  it('on PostgreSQL, other instances’ announcements invalidate, its own do not, and nothing is cached while not listening', async () => {
    let handlers!: ChannelHandlers;
    const answers = cache({
      listen: async (_channel, given) => {
        handlers = given;
        return async () => {};
      },
    });
    await answers.watch();
    handlers.listening();
    answers.set('+390622224444', FOUND, answers.generation);
    handlers.notify('inst_me');
    expect(answers.get('+390622224444')).toBe(FOUND);
    handlers.notify('inst_other');
    expect(answers.get('+390622224444')).toBeUndefined();

    answers.set('+390622224444', FOUND, answers.generation);
    handlers.lost();
    expect(answers.size).toBe(0);
    answers.set('+390622224444', FOUND, answers.generation);
    expect(answers.get('+390622224444')).toBeUndefined();
    handlers.listening();
    answers.set('+390622224444', FOUND, answers.generation);
    expect(answers.get('+390622224444')).toBe(FOUND);
  });

  it('caches nothing when it cannot listen', async () => {
    const answers = cache({ listen: () => Promise.reject(new Error('connection refused')) });
    await answers.watch();
    answers.set('+390622224444', FOUND, answers.generation);
    expect(answers.get('+390622224444')).toBeUndefined();
  });
});
