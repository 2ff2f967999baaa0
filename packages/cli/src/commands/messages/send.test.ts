import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550161' })).contact.id;
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos messages send', () => {
  it('replies to a contact, which pauses their automation; the text can come from stdin', async () => {
    const res = await runCli(['messages', 'send', id, '--body', 'Hi Ada, Tuesday at 10?'], { env: adminEnv() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Kind\s+reply/);
    expect(res.stdout).toContain('Automation paused for this contact');
    expect((await fx.ops.contacts.retrieve(id)).contact.automation_paused).toBe(true);
    const piped = await runCli(['messages', 'send', id, '--body', '-', '--json'], { env: adminEnv(), input: 'From stdin\n' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ automation_paused: true, message: { body: 'From stdin', direction: 'outbound' } });
  });

  it('exits 2 without a text and 3 when the API refuses (unknown contact)', async () => {
    expect((await runCli(['messages', 'send', id], { env: adminEnv() })).code).toBe(2);
    const missing = await runCli(['messages', 'send', 'user_missing', '--body', 'hi'], { env: adminEnv() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Not found');
  });
});
