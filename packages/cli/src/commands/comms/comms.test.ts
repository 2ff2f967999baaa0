import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';
import { parseRecipients } from './bulk.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550171', email: 'ada.cli@example.org' })).contact.id;
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos comms', () => {
  it('send prints the segments; status and list read it back', async () => {
    const sent = await runCli(['comms', 'send', id, '--type', 'sms', '--body', 'Please call us back', '--json'], { env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    const body = JSON.parse(sent.stdout);
    expect(body).toMatchObject({ ok: true, status: 'queued', encoding: 'GSM-7', segments: 1 });
    const human = await runCli(['comms', 'send', id, '--type', 'email', '--subject', 'Forms', '--body', '-'], { env: env(), input: 'Your forms are ready\n' });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Type\s+email/);
    const status = await runCli(['comms', 'status', body.id], { env: env() });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Segments\s+1 \(GSM-7\)/);
    const list = await runCli(['comms', 'list', id, '--type', 'sms', '--json'], { env: env() });
    expect(JSON.parse(list.stdout).communications.map((c: { id: string }) => c.id)).toContain(body.id);
  });

  it('bulk reports who was not queued; a PHI send without a BAA exits 3 with BAA_REQUIRED', async () => {
    const bulk = await runCli(['comms', 'bulk', '--type', 'sms', '--to', `${id},user_missing`, '--body', 'Closed Monday'], { env: env() });
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain('1 queued, 1 not queued');
    expect(bulk.stdout).toMatch(/user_missing\s+invalid\s+NOT_FOUND/);
    const phi = await runCli(['comms', 'send', id, '--type', 'sms', '--body', 'Your results', '--phi'], { env: env() });
    expect(phi.code).toBe(3);
    expect(phi.stderr).toContain('BAA');
  });

  it('reads recipients as ids or JSON lines, and refuses a bad line', () => {
    expect(parseRecipients('user_a\n# comment\n{"client_id":"user_b","dynamic_data":{"x":1}}\n')).toEqual([{ client_id: 'user_a' }, { client_id: 'user_b', dynamic_data: { x: 1 } }]);
    expect(() => parseRecipients('{"nope":1}')).toThrow('Line 1');
  });
});
