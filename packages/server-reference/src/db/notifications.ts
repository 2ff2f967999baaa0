import postgres from 'postgres';

/** What a {@link listenPostgres} subscriber is told. */
export interface ChannelHandlers {
  /** A notification arrived (`payload` as sent). */
  notify(payload: string): void;
  /** Listening (again): from now on every notification arrives. Also called after the first `listen`. */
  listening(): void;
  /** The connection was lost: notifications sent from now until {@link listening} are missed. */
  lost(): void;
}

/** Pause before listening again after the connection dropped, doubled up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * LISTENs on `channel` on a dedicated PostgreSQL connection of its own. Unlike postgres.js's
 * own `listen()`, the subscriber learns when the connection drops (`lost`) and when it
 * listens again (`listening`), so it can stop trusting what notifications kept exact in
 * between. Resolves once listening; the returned function stops.
 */
export async function listenPostgres(databaseUrl: string, channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>> {
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let retry: NodeJS.Timeout | null = null;
  const quoted = `"${channel.replaceAll('"', '""')}"`;
  // `onnotify` is the connection option postgres.js's own listen() is built on; its types omit it.
  const options: postgres.Options<Record<string, never>> & { onnotify(name: string, payload: string): void } = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    onnotify: (name, payload) => {
      if (name === channel) handlers.notify(payload);
    },
    onclose: () => {
      if (stopped) return;
      handlers.lost();
      schedule();
    },
  };
  const client = postgres(databaseUrl, options);
  // One pending attempt at a time: a failed attempt may also close its connection.
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(relisten, retryMs);
    retry.unref();
  };
  const relisten = () => {
    retry = null;
    if (stopped) return;
    client.unsafe(`listen ${quoted}`).then(
      () => {
        retryMs = FIRST_RETRY_MS;
        handlers.listening();
      },
      () => {
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        schedule();
      },
    );
  };
  await client.unsafe(`listen ${quoted}`);
  handlers.listening();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client.end({ timeout: 5 });
  };
}
