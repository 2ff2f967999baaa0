import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
beforeAll(async () => {
  fx = await startFixture();
  for (const [name, phone] of [['Maria Rossi', '+14155550171'], ['Mario Bianchi', '+14155550172'], ['Maria Verdi', '+14155550173']] as const) {
    await fx.ops.contacts.create({ name, phone });
  }
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos contacts list', () => {
  it('searches by name words and phone, pages with --cursor, prints a table', async () => {
    const byName = await runCli(['contacts', 'list', '--name', 'maria', '--json'], { env: adminEnv() });
    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout).contacts.map((c: { name: string }) => c.name)).toEqual(['Maria Verdi', 'Maria Rossi']);
    const byPhone = await runCli(['contacts', 'list', '--phone', '(415) 555-0172', '--json'], { env: adminEnv() });
    expect(JSON.parse(byPhone.stdout).contacts.map((c: { name: string }) => c.name)).toEqual(['Mario Bianchi']);
    const first = await runCli(['contacts', 'list', '--source', 'manual', '--limit', '2'], { env: adminEnv() });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/ID\s+NAME\s+PHONE/);
    const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1];
    expect(cursor).toBeTruthy();
    const second = await runCli(['contacts', 'list', '--source', 'manual', '--limit', '2', '--cursor', cursor!, '--json'], { env: adminEnv() });
    expect(JSON.parse(second.stdout)).toMatchObject({ contacts: [{ name: 'Maria Rossi' }], next_cursor: null });
    const none = await runCli(['contacts', 'list', '--name', 'nobody'], { env: adminEnv() });
    expect(none.stdout).toContain('No contacts match.');
    expect((await runCli(['contacts', 'list', '--limit', '0'], { env: adminEnv() })).code).toBe(2);
  });
});
