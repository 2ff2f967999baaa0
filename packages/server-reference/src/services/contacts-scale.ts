import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { sealCard } from './contact-card.js';
import type { FieldCrypto } from './field-crypto.js';
import { MANUAL_SOURCE } from './contacts.js';

/** Rows written per statement. */
const CHUNK = 5_000;
/** How many generated contacts share the surname {@link CONTACT_SCALE_SEARCH_NAME}, whatever the count. */
export const CONTACT_SCALE_SEARCH_MATCHES = 10;
/** The surname a search of the generated contacts finds {@link CONTACT_SCALE_SEARCH_MATCHES} times. */
export const CONTACT_SCALE_SEARCH_NAME = 'Quennell';
const SURNAMES = ['Rossi', 'Smith', 'Garcia', 'Nguyen', 'Okafor', 'Kowalski', 'Haddad', 'Tanaka'];

/**
 * Writes `count` contacts for benchmarks, sealed and indexed like those staff add (card,
 * phone and name blind indexes), in chunks of one `jsonb_to_recordset` insert each: a hundred
 * thousand take seconds, not the hundred thousand requests of the API. Exactly
 * {@link CONTACT_SCALE_SEARCH_MATCHES} of them are named {@link CONTACT_SCALE_SEARCH_NAME}, so a
 * search by that name finds as many at any size. Phones are `+1415` numbers from 200-0000 up.
 */
export async function seedContactScale(db: Database, phi: FieldCrypto, count: number): Promise<void> {
  const every = Math.max(1, Math.floor(count / CONTACT_SCALE_SEARCH_MATCHES));
  const now = new Date();
  for (let offset = 0; offset < count; offset += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - offset) }, (_, k) => {
      const i = offset + k;
      const surname = i % every === 0 && i / every < CONTACT_SCALE_SEARCH_MATCHES ? CONTACT_SCALE_SEARCH_NAME : SURNAMES[i % SURNAMES.length]!;
      const sealed = sealCard({ name: `Person${i} ${surname}`, phone: `+1415${2_000_000 + i}`, email: null, notes: null }, phi);
      return { id: newId('user', new Date(now.getTime() - (count - i))), ...sealed };
    });
    await db.rows(sql`
      insert into users (id, phone_bidx, profile_enc, name_tokens, language, source, created_at)
      select id, "phoneBidx", "profileEnc", array(select jsonb_array_elements_text("nameTokens")), 'en', ${MANUAL_SOURCE}, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as u(id text, "phoneBidx" text, "profileEnc" text, "nameTokens" jsonb)`);
  }
  // As after the server's periodic maintenance (PGlite has no autovacuum): fresh planner
  // statistics, and the name index's pending list merged (until then a search reads it whole).
  await db.rows(sql`vacuum (analyze) users`);
}
