import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Alan Turing', phone: '+14155550191', email: 'alan@example.com', notes: 'old' })).contact.id;
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos contacts update', () => {
  it('changes fields, clears some, pauses automation', async () => {
    const res = await runCli(['contacts', 'update', id, '--name', 'Alan M. Turing', '--clear', 'notes', '--clear', 'email', '--pause-automation', '--json'], { env: adminEnv() });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).contact).toMatchObject({ id, name: 'Alan M. Turing', notes: null, email: null, automation_paused: true });
    expect((await fx.ops.contacts.retrieve(id)).contact.name).toBe('Alan M. Turing');
  });

  it('exits 2 with nothing to change or a bad --clear, 3 when the API refuses', async () => {
    expect((await runCli(['contacts', 'update', id], { env: adminEnv() })).code).toBe(2);
    expect((await runCli(['contacts', 'update', id, '--clear', 'name'], { env: adminEnv() })).code).toBe(2);
    const lastWay = await runCli(['contacts', 'update', id, '--clear', 'phone'], { env: adminEnv() });
    expect(lastWay.code).toBe(3);
    expect(lastWay.stderr).toContain('A contact keeps a phone or an email');
  });
});
