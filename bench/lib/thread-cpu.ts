import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** CPU time of a process's threads, in microseconds, by thread group. */
export type ThreadCpu = Map<string, number>;

// `/proc/<pid>/task/<tid>/stat` counts in clock ticks; Linux reports them at 100 Hz to user space.
const TICK_US = 10_000;

/**
 * The group a thread's name puts it in. Node names its own threads: `MainThread`, `V8Worker`
 * (garbage collection and compilation helpers), `libuv-worker` (libuv's pool: WebCrypto and
 * file system jobs), `WorkerThread` (an unnamed `worker_threads` Worker); a Worker created with
 * a `name` carries that name (cut to 15 characters by the kernel).
 */
function groupOf(comm: string): string {
  if (comm === 'MainThread') return 'main';
  if (comm === 'V8Worker') return 'v8 helpers';
  if (comm === 'libuv-worker') return 'libuv pool';
  return comm;
}

/**
 * Reads the CPU time (user + system) of every thread of `pid` from `/proc`, summed by group.
 * `null` where there is no `/proc` (not Linux) or the process has gone. Threads that ended
 * between two readings are missing from the later one, so compare readings of long-lived
 * threads only (the server's are).
 */
export function threadCpu(pid: number): ThreadCpu | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const groups: ThreadCpu = new Map();
  for (const tid of tids) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // The name in field 2 may hold spaces and parentheses: fields are counted after the last ')'.
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const group = groupOf(comm);
      groups.set(group, (groups.get(group) ?? 0) + ticks * TICK_US);
    } catch {
      // The thread ended while being read.
    }
  }
  return groups;
}

/** CPU time per group spent between two readings. */
export function cpuSince(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  const spent: ThreadCpu = new Map();
  for (const [group, us] of after) spent.set(group, us - (before.get(group) ?? 0));
  return spent;
}

/** CPU time per operation, µs: each thread group of the server, and the load generator (this process). */
export interface OpCpu {
  server: Map<string, number>;
  client: number;
}

/**
 * Runs `op` `count` times with `concurrency` in flight and divides the CPU time each thread
 * group of `pid`, and this process, spent by `count`. `null` where threads cannot be read (no
 * `/proc`).
 */
export async function cpuPerOp(pid: number, op: (i: number) => Promise<unknown>, count: number, concurrency: number): Promise<OpCpu | null> {
  const before = threadCpu(pid);
  if (!before) return null;
  const clientBefore = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await op(next++);
    }),
  );
  const client = process.cpuUsage(clientBefore);
  const after = threadCpu(pid);
  if (!after) return null;
  const server = new Map([...cpuSince(before, after)].filter(([, us]) => us > 0).map(([group, us]) => [group, us / count]));
  return { server, client: (client.user + client.system) / count };
}

/** The server's CPU per operation, all threads, µs. */
export function serverCpu(cpu: OpCpu): number {
  return [...cpu.server.values()].reduce((a, b) => a + b, 0);
}

/** The server's thread groups, costliest first, as `main 80, careos-pglite 35`. */
export function cpuParts(cpu: OpCpu): string {
  return [...cpu.server].sort((a, b) => b[1] - a[1]).map(([group, us]) => `${group} ${Math.round(us)}`).join(', ');
}

/**
 * The most operations per second this machine's cores allow at that CPU per operation: the
 * cores' time over the CPU per operation, unless a thread that cannot be split (the server's
 * main thread or its database thread) runs out first. With `withClient`, the load generator's
 * CPU counts too, as it runs on the same cores; without, for a server alone on its machine. Both
 * are CPU time, so other load on the machine, which swings the wall-clock rates, barely moves it.
 */
export function cpuCeiling(cpu: OpCpu, withClient: boolean): number {
  const serial = Math.max(cpu.server.get('main') ?? 0, cpu.server.get('careos-pglite') ?? 0);
  const total = serverCpu(cpu) + (withClient ? cpu.client : 0);
  return Math.min(availableParallelism() / total, 1 / serial) * 1e6;
}
