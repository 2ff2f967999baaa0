import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';
import { parseRecipients } from './bulk.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Ada Lovelace', phone: '+14155550174', email: 'ada.bulk@example.org' })).contact.id;
});
afterAll(() => fx?.close());

const env = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos comms bulk', () => {
  it('reports who was not queued and why', async () => {
    const bulk = await runCli(['comms', 'bulk', '--type', 'sms', '--to', `${id},user_missing`, '--body', 'Closed Monday'], { env: env() });
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain('1 queued, 1 not queued');
    expect(bulk.stdout).toMatch(/user_missing\s+invalid\s+NOT_FOUND/);
    const piped = await runCli(['comms', 'bulk', '--type', 'email', '--file', '-', '--subject', 'Hi', '--body', 'Hello', '--json'], { env: env(), input: `${id}\n` });
    expect(JSON.parse(piped.stdout).results).toMatchObject([{ client_id: id, status: 'queued' }]);
  });

  it('reads recipients as ids or JSON lines, and refuses a bad line', () => {
    expect(parseRecipients('user_a\n# comment\n{"client_id":"user_b","dynamic_data":{"x":1}}\n')).toEqual([{ client_id: 'user_a' }, { client_id: 'user_b', dynamic_data: { x: 1 } }]);
    expect(() => parseRecipients('{"nope":1}')).toThrow('Line 1');
  });
});
