import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550171', email: 'ada.send@example.org' })).contact.id;
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos comms send', () => {
  it('sends an SMS (segments in the answer) and an email with the text from stdin', async () => {
    const sent = await runCli(['comms', 'send', id, '--type', 'sms', '--body', 'Please call us back', '--json'], { env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: true, status: 'queued', encoding: 'GSM-7', segments: 1 });
    const human = await runCli(['comms', 'send', id, '--type', 'email', '--subject', 'Forms', '--body', '-'], { env: env(), input: 'Your forms are ready\n' });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Type\s+email/);
  });

  it('exits 3 with BAA_REQUIRED for PHI without a BAA, and 2 for bad template data', async () => {
    const phi = await runCli(['comms', 'send', id, '--type', 'sms', '--body', 'Your results', '--phi'], { env: env() });
    expect(phi.code).toBe(3);
    expect(phi.stderr).toContain('BAA');
    const notice = await runCli(['comms', 'send', id, '--type', 'sms', '--body', 'Your results', '--phi', '--generic-notice'], { env: env() });
    expect(notice.code, notice.stderr).toBe(0);
    expect(notice.stdout).toContain('generic notice');
    expect((await runCli(['comms', 'send', id, '--type', 'email', '--template', 'call_us', '--data', '[1]'], { env: env() })).code).toBe(2);
  });
});
