import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  id = (await fx.ops.contacts.create({ name: 'Grace Hopper', phone: '+14155550181', notes: 'Navy' })).contact.id;
});
afterAll(() => fx?.close());

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos contacts get', () => {
  it('shows a contact, as JSON with --json; an unknown id exits 3', async () => {
    const human = await runCli(['contacts', 'get', id], { env: adminEnv() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Phone\s+\+14155550181/);
    expect(human.stdout).toMatch(/Notes\s+Navy/);
    const json = await runCli(['contacts', 'get', id, '--json'], { env: adminEnv() });
    expect(JSON.parse(json.stdout).contact).toMatchObject({ id, name: 'Grace Hopper', source: 'manual' });
    const missing = await runCli(['contacts', 'get', 'user_missing'], { env: adminEnv() });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Not found');
  });
});
