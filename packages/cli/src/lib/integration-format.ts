// Small renderers shared by the `careos integration` commands' human output. They format only
// what the API returned: a field the API left out (above the client's permission level) is never
// filled in or guessed, and is shown as withheld rather than as empty.

/** `Jane Doe`, or a dash for a person the API withheld (`null`). */
export function personName(person: { firstName: string; lastName: string } | null | undefined): string {
  return person ? `${person.firstName} ${person.lastName}` : '—';
}

/** An assessment's scores on one line: `style anxious, anxiety 4.2, avoidance 2.1`. */
export function scoreText(score: Record<string, unknown> | null | undefined): string {
  if (!score) return '—';
  return Object.entries(score)
    .map(([key, value]) => `${key} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/** The date part of an ISO 8601 time (the API's times are UTC). */
export function day(iso: string | null | undefined): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/** Why a field is missing: the API omits what the client's permission level does not cover. */
export const WITHHELD = 'not shared at this permission level';
