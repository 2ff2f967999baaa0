import { readdirSync, readFileSync } from 'node:fs';

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
