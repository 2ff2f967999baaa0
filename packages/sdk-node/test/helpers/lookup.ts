import type { ServerResponse } from 'node:http';
import { lookupNotFoundMessage, SEED_LOOKUP_FOUND, type LookupFound, type LookupNotFound } from '@careos/contract';
import { json, startServer, type RecordedRequest, type TestServer } from './server.js';

/** The seed's case "9" number in E.164, and the seed's number without a case. */
export const FOUND_E164 = '+390622224444';
export const NOT_FOUND_E164 = '+391234567890';

/** A lookup key shaped like the server's. */
export const LOOKUP_KEY = 'lookup_test_Qx7Lm2Vb9Kd4Rt6Yp1Zs8Nc3';

/** The seed's 200 body as the server answers a lookup of `e164` (`version` tells answers apart). */
export function foundBody(e164: string, version = 1): LookupFound {
  return { ...structuredClone(SEED_LOOKUP_FOUND) as unknown as LookupFound, case_id: String(8 + version), phone_searched: e164 };
}

/** The seed's 404 body for `e164`. */
export function notFoundBody(e164: string): LookupNotFound {
  return { found: false, message: lookupNotFoundMessage(e164), phone: e164 };
}

/** The `phone` of a recorded lookup request (POST body or GET query). */
export function phoneOf(request: RecordedRequest): string | undefined {
  if (request.method === 'POST') return (JSON.parse(request.body.toString()) as { phone?: string }).phone;
  return new URL(request.url, 'http://x').searchParams.get('phone') ?? undefined;
}

/** Answers like the lookup API: case `version` for {@link FOUND_E164}, 404 `{ found: false }` for any other number. */
export function answerLookup(request: RecordedRequest, res: ServerResponse, version = 1): void {
  const phone = phoneOf(request) ?? '';
  if (phone === FOUND_E164) json(res, 200, foundBody(phone, version));
  else json(res, 404, notFoundBody(phone));
}

/** A lookup server whose answers can be held back until `release()`, to keep requests in flight. */
export interface HeldLookupServer extends TestServer {
  /** Requests answered from now on wait for {@link release}. */
  hold(): void;
  /** Answers every held request, and stops holding. */
  release(): void;
  /** The next `count` requests are answered `status` with an error envelope. */
  failNext(status: number, count?: number): void;
  /** Makes new answers carry case version `version` (case id 8 + version), so a refreshed answer is told from the cached one. */
  setVersion(version: number): void;
}

/** Starts a lookup server (answers as {@link answerLookup}) that can hold its answers. */
export async function startLookupServer(): Promise<HeldLookupServer> {
  let held: (() => void)[] | undefined;
  const state = { version: 1, failures: [] as number[] };
  const server = await startServer((request, res) => {
    const failure = state.failures.shift();
    if (failure !== undefined) return json(res, failure, { error: `failure ${failure}`, request_id: `req_${failure}` });
    const version = state.version;
    const answer = () => answerLookup(request, res, version);
    if (held) held.push(answer);
    else answer();
  });
  return Object.assign(server, {
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    failNext: (status: number, count = 1) => {
      state.failures.push(...Array.from({ length: count }, () => status));
    },
    setVersion: (version: number) => {
      state.version = version;
    },
  });
}

/** Waits until `predicate` holds (polling every few ms), for a background request to land. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
