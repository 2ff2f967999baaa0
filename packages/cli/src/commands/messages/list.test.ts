import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let ids: string[];
beforeAll(async () => {
  fx = await startFixture();
  ids = [];
  for (const [name, phone] of [['Grace Hopper', '+14155550163'], ['Hedy Lamarr', '+14155550164']] as const) {
    const { contact } = await fx.ops.contacts.create({ name, phone });
    await fx.ops.messages.create({ contact_id: contact.id, direction: 'inbound', body: `Hello from ${name}` });
    ids.push(contact.id);
  }
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos messages list', () => {
  it('lists messages across contacts, filters them, pages with --cursor, prints a table', async () => {
    const inbound = await runCli(['messages', 'list', '--direction', 'inbound', '--json'], { env: adminEnv() });
    expect(inbound.code, inbound.stderr).toBe(0);
    expect(JSON.parse(inbound.stdout).messages.map((m: { body: string }) => m.body)).toEqual(['Hello from Hedy Lamarr', 'Hello from Grace Hopper']);
    const welcomes = await runCli(['messages', 'list', '--contact', ids[0]!, '--automated', '--json'], { env: adminEnv() });
    expect(JSON.parse(welcomes.stdout).messages.map((m: { kind: string }) => m.kind)).toEqual(['welcome']);
    const first = await runCli(['messages', 'list', '--direction', 'inbound', '--limit', '1'], { env: adminEnv() });
    expect(first.stdout).toMatch(/ID\s+WHEN\s+CONTACT\s+DIR\s+KIND\s+STATUS\s+TEXT/);
    expect(first.stdout).toContain('Hello from Hedy Lamarr');
    const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1];
    const second = await runCli(['messages', 'list', '--direction', 'inbound', '--limit', '1', '--cursor', cursor!, '--json'], { env: adminEnv() });
    expect(JSON.parse(second.stdout).messages[0].body).toBe('Hello from Grace Hopper');
    expect((await runCli(['messages', 'list', '--direction', 'sideways'], { env: adminEnv() })).code).toBe(2);
  });
});
