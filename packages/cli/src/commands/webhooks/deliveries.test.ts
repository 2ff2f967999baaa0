import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';
import { startRecorder, type Recorder } from '../../../test/helpers/recorder.js';

let fx: DemoFixture;
let receiver: Recorder;
let delivered: string[];
let failing: string;

beforeAll(async () => {
  [fx, receiver] = await Promise.all([startDemoFixture(), startRecorder()]);
  const partner = new CareOS({ baseURL: fx.server.url, apiKey: fx.demo.partner.apiKey, platform: fx.demo.partner.platform, env: {} });
  await partner.partner.webhooks.create({ url: `${receiver.url}/ok`, events: ['payment.paid'] });
  await partner.close();
  /** Waits until each delivery has had its first attempt, so its status is settled. */
  const attempted = async (ids: readonly string[]) => {
    for (const id of ids) {
      for (let tries = 0; (await fx.ops.admin.webhooks.deliveries.retrieve(id)).attempts === 0 && tries < 200; tries++) await new Promise((r) => setTimeout(r, 50));
    }
  };
  delivered = [];
  for (let n = 0; n < 3; n++) delivered.push(...(await fx.ops.admin.webhooks.trigger({ event: 'payment.paid', partner: 'businessos' })).delivery_ids);
  await attempted(delivered);
  receiver.status = 503;
  [failing] = (await fx.ops.admin.webhooks.trigger({ event: 'payment.paid', partner: 'businessos' })).delivery_ids as [string];
  await attempted([failing]);
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await fx?.close();
});

const deliveries = (...args: string[]) => runCli(['webhooks', 'deliveries', ...args], { env: fx.adminEnv() });

describe('careos webhooks deliveries', () => {
  it('--json prints one page exactly as the admin API returns it, newest first', async () => {
    const result = await deliveries('--json');
    expect(result.code, result.stderr).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page).toEqual((await fx.ops.admin.webhooks.deliveries.list()).body);
    expect(page.deliveries.map((d: { id: string }) => d.id)).toEqual([failing, ...delivered.slice().reverse()]);
  });

  it('filters by status and event, and pages with --limit and --cursor', async () => {
    const ok = JSON.parse((await deliveries('--status', 'delivered', '--json')).stdout).deliveries;
    expect(ok.map((d: { id: string }) => d.id).sort()).toEqual([...delivered].sort());
    const pending = JSON.parse((await deliveries('--status', 'pending', '--event', 'payment.paid', '--json')).stdout).deliveries;
    expect(pending).toEqual([expect.objectContaining({ id: failing, attempts: 1, last_status_code: 503 })]);
    expect(JSON.parse((await deliveries('--event', 'alert.created', '--json')).stdout).deliveries).toEqual([]);

    const first = JSON.parse((await deliveries('--limit', '2', '--json')).stdout);
    expect(first.deliveries).toHaveLength(2);
    const second = JSON.parse((await deliveries('--limit', '2', '--cursor', first.next_cursor, '--json')).stdout);
    expect(second.deliveries.map((d: { id: string }) => d.id)).toEqual(delivered.slice(0, 2).reverse());
  });

  it('prints a table with each delivery’s state and the next page’s cursor; bad filters are usage errors', async () => {
    const result = await deliveries('--limit', '2');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+EVENT\s+STATUS\s+ATTEMPTS\s+LAST RESULT\s+CREATED \(UTC\)\s+NEXT ATTEMPT\s+URL$/m);
    expect(result.stdout).toMatch(new RegExp(`^${failing}\\s+payment\\.paid\\s+pending\\s+1\\s+503\\s+`, 'm'));
    expect(result.stdout).toMatch(/^More: --cursor \S+$/m);
    expect((await deliveries('--status', 'lost')).code).toBe(2);
    expect((await deliveries('--event', 'alert.maybe')).code).toBe(2);
    const noLogin = await runCli(['webhooks', 'deliveries', '--api-url', fx.server.url]);
    expect(noLogin.code).toBe(2);
  });
});
