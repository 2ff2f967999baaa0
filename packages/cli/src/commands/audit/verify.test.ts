import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { useFixture } from '../../../test/helpers/server.js';

const fx = useFixture();

const adminEnv = () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password });

/** Changes stored audit rows the way someone with direct database access could: triggers off, update, triggers on. */
async function tamper(statement: string): Promise<void> {
  await fx.server.app.flush();
  await fx.server.db.rows(sql.raw('alter table audit_log disable trigger all'));
  try {
    await fx.server.db.rows(sql.raw(statement));
  } finally {
    await fx.server.db.rows(sql.raw('alter table audit_log enable trigger all'));
  }
}

describe('careos audit verify', () => {
  it('exits 0 on an intact chain, and 1 naming the row once one row is edited in the database', async () => {
    await fx.ops.admin.partners.list();
    await fx.server.app.flush();
    const intact = await runCli(['audit', 'verify', '--json'], { env: adminEnv() });
    expect(intact.code, intact.stderr).toBe(0);
    const result = JSON.parse(intact.stdout);
    expect(result).toEqual({ ok: true, rows_checked: expect.any(Number), head: { seq: result.rows_checked, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(result.rows_checked).toBeGreaterThanOrEqual(2);

    const human = await runCli(['audit', 'verify'], { env: adminEnv() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/✓ intact\s+\d+ audit row\(s\) checked/);

    const [row] = await fx.server.db.rows<{ id: string }>(sql.raw('select id from audit_log where seq = 2'));
    await tamper("update audit_log set actor_id = 'staff_someone_else' where seq = 2");
    const broken = await runCli(['audit', 'verify', '--json'], { env: adminEnv() });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toEqual({
      ok: false,
      rows_checked: 2,
      head: { seq: 1, hash: expect.any(String) },
      first_broken: { seq: 2, id: row!.id, reason: 'hash_mismatch', message: expect.any(String) },
    });
    const told = await runCli(['audit', 'verify'], { env: adminEnv() });
    expect(told.code).toBe(1);
    expect(told.stdout).toContain(`✗ broken  at row 2 (${row!.id}): hash_mismatch`);
  });

  it('takes credentials from flags and fails clearly on a wrong password or none', async () => {
    const wrong = await runCli(['audit', 'verify', '--api-url', fx.server.url, '--email', fx.admin.email, '--password', 'nope']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Incorrect email or password');
    const missing = await runCli(['audit', 'verify', '--api-url', fx.server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email (or CAREOS_ADMIN_EMAIL)');
  });
});
