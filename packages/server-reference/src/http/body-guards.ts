/** Deepest JSON nesting accepted; real bodies nest two or three levels. */
export const MAX_JSON_DEPTH = 32;

/** Why a parsed value cannot be accepted, or `null` when it is fine. */
export type UnsafeReason = 'depth' | 'nul' | 'surrogate';

/**
 * Checks a parsed JSON value without recursion (so hostile nesting cannot overflow the stack):
 * nesting depth, NUL characters (PostgreSQL text cannot hold them) and lone UTF-16
 * surrogates (not valid Unicode, rejected by PostgreSQL's JSON parser), in keys and values.
 */
export function unsafeJson(value: unknown): UnsafeReason | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeString(current);
      if (reason) return reason;
    } else if (current !== null && typeof current === 'object') {
      if (depth >= MAX_JSON_DEPTH) return 'depth';
      if (Array.isArray(current)) for (const item of current) stack.push({ value: item, depth: depth + 1 });
      else {
        for (const [key, item] of Object.entries(current)) {
          const reason = unsafeString(key);
          if (reason) return reason;
          stack.push({ value: item, depth: depth + 1 });
        }
      }
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL or ill-formed UTF-16 in one string. */
export function unsafeString(value: string): UnsafeReason | null {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return null;
}

/** Human text for a reason. */
export function unsafeMessage(reason: UnsafeReason): string {
  switch (reason) {
    case 'depth':
      return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
    case 'nul':
      return 'Strings must not contain NUL (\\u0000) characters';
    case 'surrogate':
      return 'Strings must be valid Unicode (no unpaired surrogates)';
  }
}
