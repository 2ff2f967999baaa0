import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550173', email: 'ada.list@example.org' })).contact.id;
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos comms list', () => {
  it('lists a client’s communications, filtered by type', async () => {
    const sms = await fx.ops.comms.send({ client_id: id, type: 'sms', body: 'Hello' });
    await fx.ops.comms.send({ client_id: id, type: 'email', subject: 'Hi', body: 'Hello' });
    const list = await runCli(['comms', 'list', id, '--type', 'sms', '--json'], { env: env() });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).communications.map((c: { id: string; type: string }) => c.type)).toEqual(['sms', 'sms']);
    expect(JSON.parse(list.stdout).communications.map((c: { id: string }) => c.id)).toContain(sms.id);
    const human = await runCli(['comms', 'list', id], { env: env() });
    expect(human.stdout).toMatch(/email\s+comms\s+/);
  });
});
