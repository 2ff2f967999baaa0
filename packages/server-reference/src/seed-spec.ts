/** What to load at start (`--seed`). */
export interface SeedSpec {
  /** The demo data of every seed, with `demo-credentials.json`. */
  demo: boolean;
  /** Generate this many lookup cases (benchmarks); `null` for none. */
  lookupScale: number | null;
}

/** The most cases `lookup-scale` generates in one start. */
export const MAX_LOOKUP_SCALE = 10_000_000;

const USAGE = 'use demo, lookup-scale=<cases> or both, comma-separated (e.g. demo,lookup-scale=100000)';

/**
 * Reads `--seed` values: `demo`, `lookup-scale=<N>` (N cases, `_` allowed as a digit
 * separator), comma-separated and/or given several times.
 *
 * @throws `RangeError` naming the part it could not read.
 */
export function parseSeedSpec(values: string | readonly string[]): SeedSpec {
  const spec: SeedSpec = { demo: false, lookupScale: null };
  const parts = (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new RangeError(`--seed is empty: ${USAGE}`);
  for (const part of parts) {
    if (part === 'demo') {
      spec.demo = true;
      continue;
    }
    const scale = /^lookup-scale=(\d[\d_]*)$/.exec(part);
    const count = scale ? Number(scale[1]!.replaceAll('_', '')) : NaN;
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_LOOKUP_SCALE) {
      throw new RangeError(scale ? `--seed lookup-scale must be 1 to ${MAX_LOOKUP_SCALE} cases` : `--seed "${part}" is unknown: ${USAGE}`);
    }
    spec.lookupScale = count;
  }
  return spec;
}
