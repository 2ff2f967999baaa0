import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
const nurse = { email: 'nurse@careos.test', password: 'staff password 1' };
beforeAll(async () => {
  fx = await startFixture();
  await fx.ops.auth.register({ name: 'Nurse', email: nurse.email, password: nurse.password, role: 'staff' });
});
afterAll(() => fx?.close());

const env = (who: { email: string; password: string }) => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: who.email, CAREOS_ADMIN_PASSWORD: who.password });

describe('careos contacts delete', () => {
  it('is refused to staff (exit 3, 403), done by an admin, and the contact is then gone', async () => {
    const { id } = (await fx.ops.contacts.create({ name: 'Temporary Person', phone: '+14155550199' })).contact;
    const denied = await runCli(['contacts', 'delete', id], { env: env(nurse) });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('Insufficient role');
    // Staff may read it all the same.
    expect((await runCli(['contacts', 'get', id, '--json'], { env: env(nurse) })).code).toBe(0);
    const done = await runCli(['contacts', 'delete', id, '--json'], { env: env(fx.admin) });
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ id, deleted: true });
    const again = await runCli(['contacts', 'delete', id], { env: env(fx.admin) });
    expect(again.code).toBe(3);
    expect((await runCli(['contacts', 'get', id], { env: env(fx.admin) })).code).toBe(3);
  });
});
