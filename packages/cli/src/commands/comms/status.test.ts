import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550172', email: 'ada.status@example.org' })).contact.id;
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos comms status', () => {
  it('shows where a communication is, with its segments; 404 exits 3', async () => {
    const sent = await fx.ops.comms.send({ client_id: id, type: 'sms', body: 'Hello' });
    const status = await runCli(['comms', 'status', sent.id], { env: env() });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Segments\s+1 \(GSM-7\)/);
    expect((await runCli(['comms', 'status', 'msg_missing'], { env: env() })).code).toBe(3);
  });
});
