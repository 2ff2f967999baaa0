import { CareOS, CareOSIntegration } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { startRecorder, type Recorder } from '../../../test/helpers/recorder.js';

let fx: DemoFixture;
/** The therapist's (and the lead partner's) webhook receiver. */
let receiver: Recorder;
let integration: CareOSIntegration;

beforeAll(async () => {
  [fx, receiver] = await Promise.all([startDemoFixture(), startRecorder()]);
  const i = fx.demo.integration;
  integration = new CareOSIntegration({ baseURL: fx.server.url, apiKey: i.apiKey, apiSecret: i.apiSecret, therapistId: i.therapistId, env: {} });
  await integration.webhooks.register({ webhookUrl: `${receiver.url}/therapist`, events: ['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked'] });
  const partner = new CareOS({ baseURL: fx.server.url, apiKey: fx.demo.partner.apiKey, platform: fx.demo.partner.platform, env: {} });
  await partner.partner.webhooks.create({ url: `${receiver.url}/partner`, events: ['payment.paid'] });
  await partner.close();
}, 60_000);
afterAll(async () => {
  await integration?.close();
  await receiver?.close();
  await fx?.close();
});

const bodyOf = async (deliveryId: string) => JSON.parse((await receiver.waitFor((r) => r.headers['webhook-id'] === deliveryId)).body.toString());
const trigger = (args: string[], env: Record<string, string> = { ...fx.adminEnv(), ...fx.integrationEnv() }) => runCli(['webhooks', 'trigger', ...args], { env });

describe('careos webhooks trigger', () => {
  it('without --client, raises a real alert about the therapist’s first client at STANDARD or above, and reports each delivery', async () => {
    const result = await trigger(['alert.critical', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    const { clients } = await integration.clients.list();
    const expected = clients.find((c) => c.permissionLevel !== 'BASIC')!;
    expect(printed.client_id).toBe(expected.id);
    expect(printed.event).toBe('alert.critical');
    // A CRITICAL alert is both alert.created and alert.critical.
    expect(printed.delivery_ids).toHaveLength(2);
    expect(printed.deliveries.map((d: { id: string }) => d.id)).toEqual(printed.delivery_ids);
    expect(printed.deliveries.every((d: { status: string; last_status_code: number }) => d.status === 'delivered' && d.last_status_code === 204)).toBe(true);
    for (const id of printed.delivery_ids) expect(await bodyOf(id)).toMatchObject({ clientId: expected.id, severity: 'CRITICAL', metadata: { sample: true } });
    // A real alert: the integration API now lists it.
    const alerts = await integration.alerts.list({ type: 'CRISIS' });
    expect(alerts.data.some((a) => a.clientId === expected.id && a.message === 'Crisis pathway triggered — safety plan activation recommended')).toBe(true);
  });

  it('prints the chosen client and each delivery’s state; without integration credentials, a sample is sent', async () => {
    const human = await trigger(['milestone.achieved']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Triggered milestone\.achieved for therapist 550e8400-e29b-41d4-a716-446655440000\n {2}\(about .+ \(cli_\S+, (STANDARD|FULL)\), the therapist's first client at STANDARD or above\)/);
    expect(human.stdout).toMatch(/^ {2}whmsg_\S+ {2}milestone\.achieved {2}delivered \(204\) after 1 attempt\(s\) {2}http:\/\/127\.0\.0\.1:\d+\/therapist$/m);

    const adminOnly = { ...fx.adminEnv(), CAREOS_THERAPIST_ID: fx.demo.integration.therapistId };
    const sample = await trigger(['alert.created', '--json'], adminOnly);
    expect(sample.code, sample.stderr).toBe(0);
    const printed = JSON.parse(sample.stdout);
    expect(printed).not.toHaveProperty('client_id');
    const body = await bodyOf(printed.delivery_ids[0]);
    expect(body.metadata).toMatchObject({ sample: true });
    expect((await integration.clients.list()).clients.map((c) => c.id)).not.toContain(body.clientId);
    const note = await trigger(['alert.created'], adminOnly);
    expect(note.stdout).toContain('no --client, and no integration credentials for this therapist to find one: a sample alert (metadata.sample) was sent');
  });

  it('--client and --therapist choose exactly; a CRISIS alert about a BASIC client reaches no endpoint, and says why', async () => {
    const i = fx.demo.integration;
    const given = await trigger(['alert.created', '--client', i.clients.full, '--therapist', i.therapistId, '--json'], fx.adminEnv());
    expect(given.code, given.stderr).toBe(0);
    expect(await bodyOf(JSON.parse(given.stdout).delivery_ids[0])).toMatchObject({ clientId: i.clients.full, therapistId: i.therapistId });

    const basic = await trigger(['alert.critical', '--client', i.clients.basic, '--therapist', i.therapistId], fx.adminEnv());
    expect(basic.code, basic.stderr).toBe(0);
    expect(basic.stdout).toContain("Nothing was queued: no endpoint of therapist 550e8400-e29b-41d4-a716-446655440000 is subscribed to alert.critical, or the client's consent or permission level keeps this alert from the therapist.");
  });

  it('payment.paid goes to the lead partner; --no-wait prints the ids without waiting', async () => {
    const result = await trigger(['payment.paid', '--partner', 'businessos', '--no-wait', '--json'], fx.adminEnv());
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).not.toHaveProperty('deliveries');
    expect(printed.delivery_ids).toHaveLength(1);
    expect(await bodyOf(printed.delivery_ids[0])).toMatchObject({ type: 'payment.paid', partner: 'businessos' });

    const human = await trigger(['payment.paid', '--no-wait'], { ...fx.adminEnv(), CAREOS_PLATFORM: 'businessos' });
    expect(human.stdout).toMatch(/^Triggered payment\.paid for partner businessos\n {2}whmsg_\S+ {2}queued\n$/);
  });

  it('reports a failing receiver’s first attempt and the retry to come', async () => {
    receiver.status = 500;
    try {
      const result = await trigger(['consent.revoked', '--client', fx.demo.integration.clients.standard]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/consent\.revoked {2}pending: attempt 1 got 500; next at \d{4}-\d{2}-\d{2}T/);
    } finally {
      receiver.status = 204;
    }
  });

  it('fails clearly: unknown event, no therapist, no partner, wrong admin password', async () => {
    const unknown = await trigger(['alert.maybe'], fx.adminEnv());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('must be one of alert.created, alert.critical, milestone.achieved, consent.revoked, payment.paid');
    const noTherapist = await trigger(['alert.created'], fx.adminEnv());
    expect(noTherapist.code).toBe(2);
    expect(noTherapist.stderr).toContain('alert.created needs --therapist <id> (or CAREOS_THERAPIST_ID');
    const noPartner = await trigger(['payment.paid'], fx.adminEnv());
    expect(noPartner.code).toBe(2);
    const wrong = await trigger(['alert.created', '--therapist', fx.demo.integration.therapistId], { ...fx.adminEnv(), CAREOS_ADMIN_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Incorrect email or password');
  });
});
