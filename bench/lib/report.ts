/** One printed comparison: our figure beside its baseline, the ratio, and the goal. */
export interface Comparison {
  name: string;
  ours: { label: string; value: number };
  baseline: { label: string; value: number };
  unit: string;
  /** Minimum ratio ours/baseline the issue asks for (or maximum, for `lowerIsBetter`). */
  goal: number;
  lowerIsBetter?: boolean;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** Prints a section heading. */
export function section(title: string): void {
  console.log(`\n## ${title}\n`);
}

/** Prints one comparison line and returns whether it met its goal. */
export function compare(c: Comparison): boolean {
  const ratio = c.ours.value / c.baseline.value;
  const met = c.lowerIsBetter ? ratio <= c.goal : ratio >= c.goal;
  console.log(
    `${c.name}: ${c.ours.label} ${fmt(c.ours.value)} ${c.unit} vs ${c.baseline.label} ${fmt(c.baseline.value)} ${c.unit}` +
      ` → ${ratio.toFixed(2)}x (goal ${c.lowerIsBetter ? '≤' : '≥'} ${c.goal}x) ${met ? 'MET' : 'NOT MET'}`,
  );
  return met;
}

/** Prints a plain figure with no baseline. */
export function figure(name: string, value: number, unit: string): void {
  console.log(`${name}: ${fmt(value)} ${unit}`);
}
