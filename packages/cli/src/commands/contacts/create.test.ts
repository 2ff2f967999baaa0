import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useFixture } from '../../../test/helpers/server.js';

const fx = useFixture();

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

describe('careos contacts create', () => {
  it('creates a contact with its phone normalised and a welcome SMS queued', async () => {
    const res = await runCli(['contacts', 'create', '--name', 'Ada Lovelace', '--phone', '(415) 555-0161', '--contact-email', 'Ada@Example.com', '--json'], { env: adminEnv() });
    expect(res.code, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout);
    expect(body.contact).toMatchObject({ name: 'Ada Lovelace', phone: '+14155550161', email: 'ada@example.com', source: 'manual' });
    expect(body.welcome_message_id).toMatch(/^msg_/);
    const human = await runCli(['contacts', 'create', '--name', 'Email Only', '--contact-email', 'only@example.com'], { env: adminEnv() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Name\s+Email Only/);
    expect(human.stdout).toContain('No phone: no welcome SMS');
  });

  it('exits 3 with CONTACT_EXISTS for a phone that is already a contact, and 2 without --name', async () => {
    const dup = await runCli(['contacts', 'create', '--name', 'Second', '--phone', '+1 415 555 0161'], { env: adminEnv() });
    expect(dup.code).toBe(3);
    expect(dup.stderr).toContain('A contact with this phone number already exists');
    expect(dup.stderr).toMatch(/user_/);
    const missing = await runCli(['contacts', 'create', '--phone', '+14155550162'], { env: adminEnv() });
    expect(missing.code).toBe(2);
    const neither = await runCli(['contacts', 'create', '--name', 'Nobody'], { env: adminEnv() });
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain('phone');
  });
});
