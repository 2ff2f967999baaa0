/**
 * Parses `ALLOWED_ORIGINS` (the CareOps seed's setting), the browser origins allowed to call the
 * API: comma-separated origins (`scheme://host[:port]`, a trailing slash
 * tolerated) or `*`. Anything else is a problem reported at start, not a silently open door.
 */
export function readAllowedOrigins(raw: string | undefined, problems: string[]): readonly string[] {
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
