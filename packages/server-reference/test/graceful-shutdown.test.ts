import { mkdtemp } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.js';
import { BUSINESSOS, partnerHeaders } from './helpers/app.js';
import { startChildServer } from './helpers/child-server.js';
import { count } from './helpers/db.js';
import { call } from './helpers/http.js';
import { leadBody } from './helpers/leads.js';
import { removeDataDir } from './helpers/data-dir.js';

/** All at once, each on its own kept-alive connection: many are still waiting to be accepted at the signal. */
const LEADS = 140;
const SIGNAL_AFTER_MS = 200;

const env = {
  CAREOS_PARTNERS: 'businessos',
  BUSINESSOS_API_KEY: BUSINESSOS.apiKey,
  BUSINESSOS_PHONE_HASH_SALT: BUSINESSOS.salt,
  CAREOS_RATE_LIMIT_LEADS: '100000',
  CAREOS_SHUTDOWN_GRACE_MS: '20000',
};

interface Outcome {
  /** When the request's last byte was handed to the OS (performance.now()); Infinity if never. */
  writtenAt: number;
  status?: number;
  error?: string;
}

/** A lead POST over node:http, noting when it was written and how it ended. */
function post(url: string, body: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    let writtenAt = Number.POSITIVE_INFINITY;
    const req = request(`${url}/api/leads/ingest`, { method: 'POST', agent, headers: { ...partnerHeaders(), 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ writtenAt, status: res.statusCode }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ writtenAt, error: error.code ?? error.message }));
    });
    req.on('finish', () => (writtenAt = performance.now()));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ writtenAt, error: error.code ?? error.message }));
    req.end(body);
  });
}

describe('SIGTERM under load (careos-server on PGlite)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('answers every lead POST written before the signal, stores exactly the leads it answered, and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'careos-shutdown-'));
    cleanups.push(() => removeDataDir(dir));
    const server = await startChildServer(['--data-dir', dir], env);
    cleanups.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    const key = (await call(server.url, 'GET', '/api/keys/public')).body;
    const keys = { publicKeyPem: key.public_key as string, privateKeyPem: '', keyId: key.key_id as string };
    const bodies = Array.from({ length: LEADS }, () => JSON.stringify(leadBody({ keys })));

    const agent = new Agent({ keepAlive: true, maxSockets: LEADS });
    cleanups.push(async () => agent.destroy());
    let signalledAt = Number.POSITIVE_INFINITY;
    const signal = new Promise<void>((resolve) =>
      setTimeout(() => {
        signalledAt = performance.now();
        server.child.kill('SIGTERM');
        resolve();
      }, SIGNAL_AFTER_MS),
    );
    const outcomes = await Promise.all(bodies.map((body) => post(server.url, body, agent)));
    await signal;
    const exit = await server.exited;

    const sentBefore = outcomes.filter((o) => o.writtenAt < signalledAt);
    expect(sentBefore.length).toBeGreaterThan(0);
    // Not one reset, refusal or error among them: each got its answer.
    expect(sentBefore.filter((o) => o.status !== 200)).toEqual([]);
    expect(exit, server.output()).toEqual({ code: 0, signal: null });

    // Nothing answered was lost, and nothing was stored without an answer.
    const answered = outcomes.filter((o) => o.status === 200).length;
    const db = await openDatabase({ dataDir: dir });
    try {
      expect(await count(db, 'leads')).toBe(answered);
    } finally {
      await db.close();
    }
  });
});
