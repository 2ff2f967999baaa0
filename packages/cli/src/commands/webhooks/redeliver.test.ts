import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { startRecorder, type Recorder } from '../../../test/helpers/recorder.js';

let fx: DemoFixture;
let receiver: Recorder;

beforeAll(async () => {
  [fx, receiver] = await Promise.all([startDemoFixture(), startRecorder()]);
  const partner = new CareOS({ baseURL: fx.server.url, apiKey: fx.demo.partner.apiKey, platform: fx.demo.partner.platform, env: {} });
  await partner.partner.webhooks.create({ url: `${receiver.url}/hook`, events: ['payment.paid'] });
  await partner.close();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await fx?.close();
});

const copiesOf = (id: string) => receiver.requests.filter((r) => r.headers['webhook-id'] === id);

describe('careos webhooks redeliver', () => {
  it('sends a failed delivery again, same body and webhook-id, and reports the new attempt', async () => {
    receiver.status = 500;
    const [id] = (await fx.ops.admin.webhooks.trigger({ event: 'payment.paid', partner: 'businessos' })).delivery_ids as [string];
    await receiver.waitFor((r) => r.headers['webhook-id'] === id);
    receiver.status = 204;

    const result = await runCli(['webhooks', 'redeliver', id], { env: fx.adminEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Redelivering ${id} \\(payment\\.paid\\)\\n {2}${id} {2}payment\\.paid {2}delivered \\(204\\) after 1 attempt\\(s\\)`));
    const [first, second] = copiesOf(id);
    expect(second).toBeDefined();
    expect(second!.body.equals(first!.body)).toBe(true);
    expect(await fx.ops.admin.webhooks.deliveries.retrieve(id)).toMatchObject({ status: 'delivered', last_status_code: 204 });
  });

  it('--json --no-wait prints the delivery as queued; an unknown id is exit 3', async () => {
    const [id] = (await fx.ops.admin.webhooks.trigger({ event: 'payment.paid', partner: 'businessos' })).delivery_ids as [string];
    await receiver.waitFor((r) => r.headers['webhook-id'] === id);
    const queued = await runCli(['webhooks', 'redeliver', id, '--no-wait', '--json'], { env: fx.adminEnv() });
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({ id, event: 'payment.paid', status: 'pending', attempts: 0 });
    await receiver.waitFor((r) => r.headers['webhook-id'] === id && copiesOf(id).length === 2);

    const unknown = await runCli(['webhooks', 'redeliver', 'whmsg_doesnotexist'], { env: fx.adminEnv() });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^careos: 404 /);
  });
});
