/** How {@link readInteger} reads one whole-number setting. */
export interface IntegerSetting {
  /** Value when the variable is unset. */
  fallback: number;
  min: number;
  max?: number;
  /** The problem reported otherwise; it names the variable, never its value. */
  problem: string;
}

/** A whole-number environment setting; when it is malformed or out of range, `setting.problem` is appended to `problems`. */
export function readInteger(read: (name: string) => string | undefined, name: string, setting: IntegerSetting, problems: string[]): number {
  const raw = read(name);
  const value = raw === undefined ? setting.fallback : Number(raw);
  if (!Number.isInteger(value) || value < setting.min || value > (setting.max ?? Number.MAX_SAFE_INTEGER)) problems.push(setting.problem);
  return value;
}
