import { performance } from 'node:perf_hooks';

/** Throughput and latency of one measured operation. */
export interface Measurement {
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** In-flight operations at once. */
  concurrency: number;
  /** Measured window, ms (after warm-up). */
  durationMs: number;
  /** Unmeasured warm-up, ms. */
  warmupMs?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs `op` with `concurrency` workers, first for a warm-up, then for the measured window,
 * and reports completed operations per second and latency percentiles.
 */
export async function measure(op: (i: number) => Promise<unknown>, options: MeasureOptions): Promise<Measurement> {
  let counter = 0;
  const window = async (ms: number, latencies?: number[]) => {
    const end = performance.now() + ms;
    let done = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          await op(counter++);
          latencies?.push(performance.now() - started);
          done++;
        }
      }),
    );
    return done;
  };
  if (options.warmupMs) await window(options.warmupMs);
  const latencies: number[] = [];
  const started = performance.now();
  const ops = await window(options.durationMs, latencies);
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { ops, opsPerSecond: (ops / elapsed) * 1000, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Runs a synchronous op in a tight loop for `durationMs` and reports ops per second. */
export function measureSync(op: (i: number) => unknown, durationMs: number, warmupMs = 200): number {
  const loop = (ms: number) => {
    const end = performance.now() + ms;
    let i = 0;
    for (; performance.now() < end; i++) op(i);
    return i;
  };
  loop(warmupMs);
  const started = performance.now();
  const ops = loop(durationMs);
  return (ops / (performance.now() - started)) * 1000;
}

/**
 * Measures several variants in interleaved rounds and reports each one's median round.
 * Interleaving spreads JIT warm-up and neighbour noise evenly across the variants, so their
 * ratio is stable even when absolute figures drift between runs. The order rotates each round
 * (A B C, B C A, C A B …): the garbage one variant leaves is collected during the next one, so in
 * a fixed order the variant after the most wasteful one would always pay for it.
 */
export async function interleaved<K extends string>(
  variants: Record<K, (i: number) => Promise<unknown>>,
  options: MeasureOptions & { rounds: number },
): Promise<Record<K, Measurement>> {
  const names = Object.keys(variants) as K[];
  const rounds = new Map<K, Measurement[]>(names.map((n) => [n, []]));
  for (const name of names) await measure(variants[name], { ...options, durationMs: options.warmupMs ?? 500, warmupMs: 0 });
  for (let r = 0; r < options.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]!;
      rounds.get(name)!.push(await measure(variants[name], { ...options, warmupMs: 0 }));
    }
  }
  const median = (list: Measurement[]) => [...list].sort((a, b) => a.opsPerSecond - b.opsPerSecond)[Math.floor(list.length / 2)]!;
  return Object.fromEntries(names.map((n) => [n, median(rounds.get(n)!)])) as Record<K, Measurement>;
}
