import { DataKey } from './data-key.js';

/**
 * The data keys (DEKs) of one database, unwrapped: new values are encrypted with the active
 * one, and each stored value names the key it needs, so values written under an older data key
 * stay readable after a new one becomes active.
 */
export class DataKeyRing {
  readonly #byId: Map<string, DataKey>;

  constructor(
    /** The key new values are encrypted with. */
    readonly active: DataKey,
    others: readonly DataKey[] = [],
  ) {
    this.#byId = new Map([...others, active].map((key) => [key.id, key]));
  }

  /** Ids of every key in the ring. */
  get ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Whether `ciphertext` names one of this ring's keys. */
  owns(ciphertext: string): boolean {
    const id = DataKey.keyIdOf(ciphertext);
    return id !== null && this.#byId.has(id);
  }

  /** Encrypts with the active key, bound to `context` (`<table>.<column>:<row key>`). */
  encrypt(plaintext: string, context: string): string {
    return this.active.encrypt(plaintext, context);
  }

  /** Decrypts with the key the ciphertext names; throws a clear error when the ring lacks it. */
  decrypt(ciphertext: string, context: string): string {
    const id = DataKey.keyIdOf(ciphertext);
    if (id === null) throw new Error(`The value for ${context} is not an encrypted value`);
    const key = this.#byId.get(id);
    if (!key) throw new Error(`The value for ${context} is encrypted with data key ${id}, which is not among this database's data keys (${this.ids.join(', ')})`);
    return key.decrypt(ciphertext, context);
  }
}
