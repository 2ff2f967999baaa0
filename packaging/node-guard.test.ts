// The Node.js version guard's source, run in a sandbox with the `process` of various runtimes.
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { guardSource, minimumNode, NODE_VERSION_ERROR_CODE } from '../scripts/node-guard.ts';

const source = guardSource('@careos/example', [22, 19]);

/** Runs the guard with a fake `process`; returns what it threw (or undefined) and what it wrote. */
function runGuard(versions: Record<string, string> | undefined) {
  const written: string[] = [];
  const listeners: ((error: unknown) => void)[] = [];
  const process = versions && {
    versions,
    stderr: { write: (text: string) => written.push(text) },
    on: (_: string, listener: (error: unknown) => void) => listeners.push(listener),
    removeListener: () => undefined,
    listenerCount: () => 0,
    exit: (code: number) => written.push(`exit ${code}`),
    nextTick: () => undefined,
  };
  try {
    runInContext(source, createContext(process ? { process } : {}));
    return { thrown: undefined, written, listeners };
  } catch (error) {
    return { thrown: error as Error & { code?: string }, written, listeners };
  }
}

describe('the Node.js version guard', () => {
  it.each(['22.19.0', '22.20.1', '23.0.0', '24.21.0'])('lets Node.js %s through', (node) => {
    expect(runGuard({ node }).thrown).toBeUndefined();
  });

  it.each(['22.18.0', '20.20.2', '18.0.0'])('stops Node.js %s with an error naming the version needed', (node) => {
    const { thrown } = runGuard({ node });
    expect(thrown?.message).toBe(`@careos/example needs Node.js 22.19 or newer; this is Node.js ${node}.`);
    expect(thrown?.code).toBe(NODE_VERSION_ERROR_CODE);
  });

  it('prints that one line and exits 1 when nobody catches the error', () => {
    const { thrown, written, listeners } = runGuard({ node: '20.20.2' });
    listeners.forEach((listener) => listener(thrown));
    expect(written).toEqual(['@careos/example needs Node.js 22.19 or newer; this is Node.js 20.20.2.\n', 'exit 1']);
  });

  it('leaves Deno, Bun and runtimes without `process` alone', () => {
    expect(runGuard({ node: '20.11.1', deno: '1.46.0' }).thrown).toBeUndefined();
    expect(runGuard({ node: '20.0.0', bun: '1.1.0' }).thrown).toBeUndefined();
    expect(runGuard(undefined).thrown).toBeUndefined();
  });

  it('reads the minimum from engines.node', () => {
    expect(minimumNode('>=22.19')).toEqual([22, 19]);
    expect(minimumNode('>= 24.0.0')).toEqual([24, 0]);
    expect(() => minimumNode('^22.19.0')).toThrow(/engines\.node/);
  });
});
