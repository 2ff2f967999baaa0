/**
 * Browser origins allowed to call the API (`ALLOWED_ORIGINS`, the CareOps seed's setting):
 * exact origins such as `https://app.example.com`, or `*` for any origin. An empty list, the
 * default, sends no CORS headers at all.
 */
export type AllowedOrigins = readonly string[];

/**
 * Parses `ALLOWED_ORIGINS`: comma-separated origins (`scheme://host[:port]`, a trailing slash
 * tolerated) or `*`. Anything else is a problem reported at start, not a silently open door.
 */
export function readAllowedOrigins(raw: string | undefined, problems: string[]): AllowedOrigins {
  if (raw === undefined) return [];
  const origins = new Set<string>();
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    if (entry === '*') {
      origins.add('*');
      continue;
    }
    let origin: string | null = null;
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/$/, '')) origin = url.origin;
    } catch {
      // reported below
    }
    if (origin === null) problems.push(`ALLOWED_ORIGINS: "${entry}" is not an origin such as https://app.example.com (scheme, host and port only) or *`);
    else origins.add(origin);
  }
  return [...origins];
}
