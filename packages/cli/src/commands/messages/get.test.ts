import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Katherine Johnson', phone: '+14155550165' })).contact.id;
  await fx.ops.messages.create({ contact_id: id, direction: 'inbound', body: 'Is Monday possible?' });
  await fx.ops.messages.create({ contact_id: id, body: 'Monday at 9 works.' });
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos messages get', () => {
  it('shows the conversation with a contact, newest first; an unknown contact exits 3', async () => {
    const json = await runCli(['messages', 'get', id, '--json'], { env: adminEnv() });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).messages.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'inbound', 'welcome']);
    const human = await runCli(['messages', 'get', id, '--kind', 'reply'], { env: adminEnv() });
    expect(human.stdout).toContain('Monday at 9 works.');
    expect(human.stdout).not.toContain('Is Monday possible?');
    const missing = await runCli(['messages', 'get', 'user_missing'], { env: adminEnv() });
    expect(missing.code).toBe(3);
  });
});
