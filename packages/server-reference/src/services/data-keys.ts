import { sql } from 'drizzle-orm';
import { DataKeyRing } from '../crypto/data-key-ring.js';
import { DataKey } from '../crypto/data-key.js';
import { MasterKeyError, type MasterKeyProvider } from '../crypto/master-key.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../domain/clock.js';

/** Associated data of a wrapped data key: the table, the column and the key's id. */
export function wrappedKeyContext(id: string): string {
  return `data_keys.wrapped_key:${id}`;
}

/** A stored data key, as read back. */
interface DataKeyRow extends Record<string, unknown> {
  id: string;
  wrapped_key: string;
  master_key_id: string;
  active: boolean;
}

/** Thrown when the database's data keys were wrapped by another master key than the one given. */
export class MasterKeyMismatchError extends MasterKeyError {
  constructor(
    readonly storedMasterKeyId: string,
    provider: MasterKeyProvider,
  ) {
    super(
      `The data keys of this database are wrapped by master key ${storedMasterKeyId}, but the master key given is ${provider.id} (${provider.description}). ` +
        'Start with the master key the database was written with, or re-wrap the data keys with `careos server rotate-master-key`.',
    );
  }
}

function readRows(db: Database): Promise<DataKeyRow[]> {
  return db.rows<DataKeyRow>(sql`select id, wrapped_key, master_key_id, active from data_keys order by created_at, id`);
}

/** Unwraps stored data keys, checking first that `provider` is the master key that wrapped them. */
export async function unwrapDataKeys(rows: readonly DataKeyRow[], provider: MasterKeyProvider): Promise<DataKey[]> {
  const keys: DataKey[] = [];
  for (const row of rows) {
    if (row.master_key_id !== provider.id) throw new MasterKeyMismatchError(row.master_key_id, provider);
    const key = new DataKey(await provider.unwrap(row.wrapped_key, wrappedKeyContext(row.id)));
    if (key.id !== row.id) throw new MasterKeyError(`Data key ${row.id} unwrapped to a different key (${key.id}): the data_keys table was altered`);
    keys.push(key);
  }
  return keys;
}

/**
 * Loads the database's data keys, unwrapped by `provider`; generates and stores the first one
 * (wrapped) when there is none. Instances starting at once agree on one key: only one active
 * row can exist, a losing insert does nothing, and everyone reads back the winner.
 *
 * @throws {@link MasterKeyMismatchError} when `provider` is not the master key that wrapped them.
 */
export async function loadDataKeyRing(db: Database, provider: MasterKeyProvider, clock: Clock): Promise<DataKeyRing> {
  let rows = await readRows(db);
  if (!rows.some((row) => row.active)) {
    const key = DataKey.generate();
    const wrapped = await provider.wrap(key.toBytes(), wrappedKeyContext(key.id));
    await db.rows(sql`
      insert into data_keys (id, wrapped_key, master_key_id, active, created_at)
      values (${key.id}, ${wrapped}, ${provider.id}, true, ${clock.now().toISOString()}::timestamptz)
      on conflict do nothing`);
    rows = await readRows(db);
  }
  const keys = await unwrapDataKeys(rows, provider);
  const activeIndex = rows.findIndex((row) => row.active);
  if (activeIndex < 0) throw new Error('No active data key after creating one');
  return new DataKeyRing(keys[activeIndex]!, keys);
}

/**
 * Re-wraps every data key from `oldKey` to `newKey` in one transaction; the data keys
 * themselves, and so every value they encrypt, stay as they are. Rows already wrapped by
 * `newKey` are left alone, so a rotation interrupted after its commit can be run again.
 *
 * @returns how many rows were re-wrapped.
 * @throws {@link MasterKeyMismatchError} when a row is wrapped by neither key.
 */
export async function rewrapDataKeys(db: Database, oldKey: MasterKeyProvider, newKey: MasterKeyProvider, clock: Clock): Promise<number> {
  if (oldKey.id === newKey.id) throw new MasterKeyError(`The new master key is the current one (${newKey.id})`);
  return db.transaction(async (run) => {
    const rows = await run<DataKeyRow>(sql`select id, wrapped_key, master_key_id, active from data_keys order by created_at, id for update`);
    if (rows.length === 0) throw new MasterKeyError('This database has no data keys yet: start the server once (it creates them and encrypts the stored secrets), then rotate');
    const pending = rows.filter((row) => row.master_key_id !== newKey.id);
    const keys = await unwrapDataKeys(pending, oldKey);
    for (const [i, row] of pending.entries()) {
      const wrapped = await newKey.wrap(keys[i]!.toBytes(), wrappedKeyContext(row.id));
      await run(sql`
        update data_keys set wrapped_key = ${wrapped}, master_key_id = ${newKey.id}, rewrapped_at = ${clock.now().toISOString()}::timestamptz
         where id = ${row.id}`);
    }
    return pending.length;
  });
}

/**
 * This instance's data keys: the master key chosen at start (see `selectMasterKey`) and the
 * unwrapped ring, loaded once. A failed load is retried at the next call.
 */
export class DataKeyService {
  #ring: Promise<DataKeyRing> | null = null;
  #masterKey: Promise<MasterKeyProvider> | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly selectMasterKey: () => Promise<MasterKeyProvider>,
  ) {}

  /** The master key (chosen once). */
  masterKey(): Promise<MasterKeyProvider> {
    this.#masterKey ??= this.selectMasterKey().catch((error: unknown) => {
      this.#masterKey = null;
      throw error;
    });
    return this.#masterKey;
  }

  /**
   * The unwrapped data keys. Load them before a transaction on the embedded database: loading
   * queries the database, which there would wait for that very transaction to end.
   */
  ring(): Promise<DataKeyRing> {
    this.#ring ??= this.masterKey()
      .then((provider) => loadDataKeyRing(this.db, provider, this.clock))
      .catch((error: unknown) => {
        this.#ring = null;
        throw error;
      });
    return this.#ring;
  }
}
