import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Mary Jackson', phone: '+14155550166' })).contact.id;
  await fx.ops.messages.create({ contact_id: id, body: 'We will call you back.' });
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos contacts resume-automation', () => {
  it('resumes automation a reply paused (admin); again, it says it was not paused', async () => {
    const res = await runCli(['contacts', 'resume-automation', id], { env: adminEnv() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Automation\s+on/);
    expect(res.stdout).toContain('Automation resumed.');
    const again = await runCli(['contacts', 'resume-automation', id, '--json'], { env: adminEnv() });
    expect(JSON.parse(again.stdout)).toMatchObject({ resumed: false, contact: { id, automation_paused: false } });
    expect((await runCli(['contacts', 'resume-automation', 'user_missing'], { env: adminEnv() })).code).toBe(3);
  });
});
