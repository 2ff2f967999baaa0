import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Alan Turing', phone: '+14155550162' })).contact.id;
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos messages record', () => {
  it('records what the contact wrote without sending anything or pausing automation', async () => {
    const res = await runCli(['messages', 'record', id, '--body', 'Can we move to Friday?', '--json'], { env: adminEnv() });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ automation_paused: false, cancelled_message_ids: [], message: { direction: 'inbound', status: 'received', body: 'Can we move to Friday?' } });
    expect((await fx.ops.contacts.retrieve(id)).contact.automation_paused).toBe(false);
    expect((await runCli(['messages', 'record', id, '--body', '  '], { env: adminEnv() })).code).toBe(2);
  });
});
