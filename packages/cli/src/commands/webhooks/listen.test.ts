import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { CareOSIntegration } from '@careos/sdk';
import { createTestHeaders, verify } from '@careos/webhook-verifier';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { listenFailure, startListener, type Listener } from '../../../test/helpers/listener.js';
import { startRecorder, type Recorder } from '../../../test/helpers/recorder.js';

let fx: DemoFixture;
let target: Recorder;
const running: Listener[] = [];
beforeAll(async () => {
  [fx, target] = await Promise.all([startDemoFixture(), startRecorder()]);
}, 60_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.stop('SIGKILL')));
});
afterAll(async () => {
  await target?.close();
  await fx?.close();
});

async function listen(args: string[], env: Record<string, string>): Promise<Listener> {
  const listener = await startListener(args, env);
  running.push(listener);
  return listener;
}

const json = (line: string) => JSON.parse(line) as Record<string, unknown>;
const deliveryOf = (id: string) => (line: string) => line.includes('"kind":"delivery"') && json(line).webhookId === id;

/**
 * The deliveries among `ids` that went to `url`. Endpoints of earlier listeners stay registered
 * for the same therapist (the afterEach SIGKILL gives them no chance to remove theirs), so a
 * trigger also queues deliveries to them.
 */
async function deliveriesTo(url: string, ids: readonly string[]) {
  const all = await Promise.all(ids.map((id) => fx.ops.admin.webhooks.deliveries.retrieve(id)));
  return all.filter((d) => d.url === url);
}

async function endpointsFor(url: string) {
  const endpoints = [];
  for await (const endpoint of fx.ops.admin.webhooks.endpoints.list()) if (endpoint.url === url) endpoints.push(endpoint);
  return endpoints;
}

describe('careos webhooks listen', () => {
  it('registers itself with the integration credentials, keeps the secret to itself, and verifies each delivery', async () => {
    const listener = await listen(['--port', '0', '--json'], fx.integrationEnv());
    const started = json(listener.started);
    expect(started).toMatchObject({ kind: 'listening', registeredAs: 'integration', therapistId: fx.demo.integration.therapistId, endpointId: expect.stringMatching(/^whep_/), forwardTo: null });
    expect(started.events).toEqual(['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked']);
    expect(started.port).toBeGreaterThan(0);
    expect(started.url).toBe(`http://127.0.0.1:${started.port}/webhooks`);
    expect(started).not.toHaveProperty('secret');
    expect(listener.started).not.toMatch(/whsec_/);
    expect(await endpointsFor(started.url as string)).toEqual([expect.objectContaining({ owner_kind: 'integration', therapist_id: fx.demo.integration.therapistId })]);

    // A CRITICAL alert is both alert.created and alert.critical: two deliveries, both verified.
    const trigger = await runCli(['webhooks', 'trigger', 'alert.critical', '--json'], { env: { ...fx.adminEnv(), ...fx.integrationEnv() } });
    expect(trigger.code, trigger.stderr).toBe(0);
    const printed = JSON.parse(trigger.stdout);
    const ids = (await deliveriesTo(listener.url, printed.delivery_ids)).map((d) => d.id);
    expect(ids).toHaveLength(2);
    const deliveries = printed.deliveries.filter((d: { id: string }) => ids.includes(d.id));
    expect(deliveries.map((d: { status: string; last_status_code: number }) => [d.status, d.last_status_code])).toEqual([
      ['delivered', 204],
      ['delivered', 204],
    ]);
    const lines = await Promise.all(ids.map((id: string) => listener.waitForLine(deliveryOf(id))));
    const reports = lines.map(json);
    expect(reports.map((r) => r.event).sort()).toEqual(['alert.created', 'alert.critical']);
    for (const report of reports) {
      expect(report).toMatchObject({ verified: true, status: 204, time: expect.any(String) });
      expect(report).not.toHaveProperty('body');
    }
    expect(listener.lines.join('\n')).not.toMatch(/whsec_/);
  });

  it('answers 400 with the verifier’s code to a delivery it cannot verify, and reports why; other paths are 404', async () => {
    const listener = await listen(['--port', '0', '--path', '/hooks/careos', '--json'], fx.integrationEnv());
    const body = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alertId: 'forged' });
    const forgedSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const forged = await fetch(listener.url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...createTestHeaders(forgedSecret, body, { event: 'alert.created', id: 'msg_forged' }) } });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'NO_MATCHING_SIGNATURE' });
    const line = json(await listener.waitForLine(deliveryOf('msg_forged')));
    expect(line).toMatchObject({ verified: false, code: 'NO_MATCHING_SIGNATURE', status: 400, event: 'alert.created', reason: expect.any(String) });

    const unsigned = await fetch(listener.url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ code: 'MISSING_HEADER' });

    const elsewhere = await fetch(listener.url.replace('/hooks/careos', '/other'), { method: 'POST', body });
    expect(elsewhere.status).toBe(404);
    expect((await fetch(listener.url)).status).toBe(405);
    // Two requests reached the webhook path; the 404 and 405 are not deliveries.
    await listener.waitForLine((l) => l.includes('"code":"MISSING_HEADER"'));
    expect(listener.lines.filter((l) => l.includes('"kind":"delivery"'))).toHaveLength(2);
  });

  it('--forward-to sends the raw body and signature headers on, answers with the target’s status; --print-secret shows the secret', async () => {
    target.status = 202;
    const listener = await listen(['--port', '0', '--forward-to', `${target.url}/receiver`, '--print-secret', '--events', 'alert.created'], fx.integrationEnv());
    const secret = (await listener.waitForLine((l) => l.startsWith('Signing secret: '))).slice('Signing secret: '.length);
    expect(secret).toMatch(/^whsec_/);
    expect(listener.lines.join('\n')).toContain(`Forwarding verified deliveries to ${target.url}/receiver`);
    expect(listener.lines.join('\n')).toMatch(/^Registered with CareOS for therapist \S+ as whep_\w+: alert\.created$/m);

    const triggered = await fx.ops.admin.webhooks.trigger({ event: 'alert.created', therapist_id: fx.demo.integration.therapistId, client_id: fx.demo.integration.clients.standard });
    const ids = (await deliveriesTo(listener.url, triggered.delivery_ids)).map((d) => d.id);
    expect(ids).toHaveLength(1);
    const received = await target.waitFor((r) => r.headers['webhook-id'] === ids[0]);
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/receiver');
    // The target verifies on its own, with the secret: body and signature headers arrived untouched.
    const text = verify(received.body, received.headers, secret);
    expect(JSON.parse(text)).toMatchObject({ type: 'alert.created', clientId: fx.demo.integration.clients.standard, therapistId: fx.demo.integration.therapistId });
    expect(received.headers['x-careos-signature']).toBe(createHmac('sha256', secret).update(received.body).digest('hex'));
    expect(received.headers['x-loverescue-signature']).toBe(received.headers['x-careos-signature']);
    expect(received.headers['x-careos-event']).toBe('alert.created');
    expect(received.headers['user-agent']).toMatch(/^CareOS-Webhooks\//);
    expect(received.headers['content-length']).toBe(String(received.body.length));
    expect(received.headers['transfer-encoding']).toBeUndefined();

    const line = await listener.waitForLine((l) => l.includes(ids[0]!));
    expect(line).toMatch(new RegExp(`alert\\.created\\s+${ids[0]}\\s+✓ verified\\s+answered 202 → 202 ${target.url}/receiver`));
    // CareOS saw the target's answer.
    expect(await fx.ops.admin.webhooks.deliveries.retrieve(ids[0]!)).toMatchObject({ status: 'delivered', last_status_code: 202 });
    target.status = 204;
  });

  it('forwards nothing it cannot verify, and answers 502 when the target is down', async () => {
    const body = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString() });
    const gate = await listen(['--port', '0', '--forward-to', target.url, '--json'], fx.integrationEnv());
    const before = target.requests.length;
    const forgedSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const forged = await fetch(gate.url, { method: 'POST', body, headers: createTestHeaders(forgedSecret, body, { event: 'alert.created', id: 'msg_gate' }) });
    expect(forged.status).toBe(400);
    expect(json(await gate.waitForLine(deliveryOf('msg_gate')))).toMatchObject({ verified: false, status: 400 });
    expect(json(await gate.waitForLine(deliveryOf('msg_gate')))).not.toHaveProperty('forward');
    expect(target.requests.length).toBe(before);

    const listener = await listen(['--port', '0', '--forward-to', 'http://127.0.0.1:1/down', '--json', '--print-secret'], fx.integrationEnv());
    const secret = json(listener.started).secret as string;
    const ok = await fetch(listener.url, { method: 'POST', body, headers: createTestHeaders(secret, body, { event: 'alert.created', id: 'msg_down' }) });
    expect(ok.status).toBe(502);
    const line = json(await listener.waitForLine(deliveryOf('msg_down')));
    expect(line).toMatchObject({ verified: true, status: 502, forward: { url: 'http://127.0.0.1:1/down', error: expect.any(String) } });
  });

  it('registers with a lead partner key for payment.paid, with the endpoint id; --print-body shows the event', async () => {
    const partnerEnv = { CAREOS_API_URL: fx.server.url, CAREOS_API_KEY: fx.demo.partner.apiKey, CAREOS_PLATFORM: fx.demo.partner.platform };
    const listener = await listen(['--port', '0', '--json', '--print-body'], partnerEnv);
    const started = json(listener.started);
    expect(started).toMatchObject({ registeredAs: 'partner', platform: 'businessos', events: ['payment.paid'], endpointId: expect.stringMatching(/^whep_/) });
    expect(await endpointsFor(started.url as string)).toEqual([expect.objectContaining({ id: started.endpointId, owner_kind: 'partner' })]);

    const trigger = await runCli(['webhooks', 'trigger', 'payment.paid', '--partner', 'businessos', '--json'], { env: fx.adminEnv() });
    expect(trigger.code, trigger.stderr).toBe(0);
    const [id] = (await deliveriesTo(listener.url, JSON.parse(trigger.stdout).delivery_ids)).map((d) => d.id);
    expect(id).toBeDefined();
    const line = json(await listener.waitForLine(deliveryOf(id!)));
    expect(line).toMatchObject({ event: 'payment.paid', verified: true, body: { type: 'payment.paid', partner: 'businessos', currency: 'USD' } });
  });

  it('stops on SIGTERM or Ctrl-C with exit 0 and a summary, removing the endpoint it registered', async () => {
    const jsonListener = await listen(['--port', '0', '--json'], fx.integrationEnv());
    const started = json(jsonListener.started);
    expect(await jsonListener.stop('SIGTERM')).toBe(0);
    expect(json(jsonListener.lines.at(-1)!)).toEqual({ kind: 'stopped', received: 0, verified: 0, endpointId: started.endpointId, removed: true });
    expect(await endpointsFor(started.url as string)).toEqual([expect.objectContaining({ id: started.endpointId, disabled_at: expect.any(String) })]);

    const partnerEnv = { CAREOS_API_URL: fx.server.url, CAREOS_API_KEY: fx.demo.partner.apiKey, CAREOS_PLATFORM: fx.demo.partner.platform };
    const human = await listen(['--port', '0', '--as', 'partner'], partnerEnv);
    expect(human.started).toMatch(/^Listening on http:\/\/127\.0\.0\.1:\d+\/webhooks$/);
    expect(human.lines.join('\n')).toContain('Signing secret held in memory (--print-secret shows it)');
    const endpointId = /as (whep_\w+)/.exec(human.lines.join('\n'))?.[1];
    expect(await human.stop('SIGINT')).toBe(0);
    expect(human.stderr()).toContain(`Stopped after 0 delivery request(s), 0 verified. Removed endpoint ${endpointId}; CareOS sends nothing more to it.`);
    const partnerEndpoints = [];
    for await (const endpoint of fx.ops.admin.webhooks.endpoints.list({ owner_kind: 'partner' })) if (endpoint.id === endpointId) partnerEndpoints.push(endpoint);
    expect(partnerEndpoints).toEqual([expect.objectContaining({ disabled_at: expect.any(String) })]);
  });

  it('--keep leaves the endpoint registered; a removal CareOS refuses is a warning, and the listener still exits 0', async () => {
    const kept = await listen(['--port', '0', '--json', '--keep'], fx.integrationEnv());
    const started = json(kept.started);
    expect(await kept.stop('SIGTERM')).toBe(0);
    expect(json(kept.lines.at(-1)!)).toMatchObject({ kind: 'stopped', endpointId: started.endpointId, removed: false });
    expect(await endpointsFor(started.url as string)).toEqual([expect.objectContaining({ id: started.endpointId, disabled_at: null })]);

    // Removed behind the listener's back: its own removal then gets 404, which it reports and survives.
    const doomed = await listen(['--port', '0', '--json'], fx.integrationEnv());
    const doomedStart = json(doomed.started);
    const { apiKey, apiSecret, therapistId } = fx.demo.integration;
    const integration = new CareOSIntegration({ baseURL: fx.server.url, apiKey, apiSecret, therapistId, env: {} });
    try {
      await integration.webhooks.remove(doomedStart.endpointId as string);
    } finally {
      await integration.close();
    }
    expect(await doomed.stop('SIGTERM')).toBe(0);
    expect(doomed.stderr()).toMatch(new RegExp(`warning: Could not remove endpoint ${doomedStart.endpointId}: .*Not found.*It stays registered`));
    expect(json(doomed.lines.at(-1)!)).toMatchObject({ kind: 'stopped', removed: false });
  });

  it('fails clearly before listening: missing or wrong credentials, a busy port, mixed events', async () => {
    const none = await listenFailure(['--port', '0', '--api-url', fx.server.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Missing required options: --integration-key (or CAREOS_INTEGRATION_API_KEY)');

    const wrong = await listenFailure(['--port', '0', '--integration-secret', 'sk_test_wrong'], fx.integrationEnv());
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Invalid API secret');

    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const inUse = await listenFailure(['--port', String(port)], fx.integrationEnv());
    busy.close();
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain(`Cannot listen on 127.0.0.1:${port}: the port is in use`);

    const mixed = await listenFailure(['--port', '0', '--events', 'alert.created,payment.paid'], fx.integrationEnv());
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("mixes a lead partner's events");
    const unknown = await listenFailure(['--port', '0', '--events', 'alert.maybe'], fx.integrationEnv());
    expect(unknown.code).toBe(2);
  }, 60_000);
});
