import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startFixture, type CliFixture } from '../../../test/helpers/server.js';

let fx: CliFixture;
const ids: string[] = [];
beforeAll(async () => {
  fx = await startFixture();
  for (const message of ['First lead', 'Second lead', 'Third lead']) {
    const sent = await runCli(['lead', 'send', '--phone', '+14155550144', '--category', 'healthcare', '--message', message, '--value', '5', '--consent', '--env-file', fx.partnerEnv, '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    ids.push(JSON.parse(sent.stdout).careos_lead_id);
  }
});
afterAll(() => fx?.close());

describe('careos lead list', () => {
  it('lists the partner’s leads newest first, a page at a time', async () => {
    const first = await runCli(['lead', 'list', '--limit', '2', '--env-file', fx.partnerEnv, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const page = JSON.parse(first.stdout);
    expect(page.leads.map((l: { id: string }) => l.id)).toEqual([ids[2], ids[1]]);
    expect(page.next_cursor).toEqual(expect.any(String));
    const next = await runCli(['leads', 'list', '--limit', '2', '--cursor', page.next_cursor, '--env-file', fx.partnerEnv, '--json']);
    expect(JSON.parse(next.stdout)).toMatchObject({ leads: [{ id: ids[0] }], next_cursor: null });
  });

  it('prints a table for people, with the cursor of the next page', async () => {
    const result = await runCli(['lead', 'list', '--limit', '2', '--env-file', fx.partnerEnv]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+RECEIVED \(UTC\)\s+STATUS\s+CATEGORY\s+VALUE\s+PAYMENT\s+CONVERSATION$/);
    expect(lines[1]).toMatch(new RegExp(`^${ids[2]}\\s.*\\$5\\.00\\s+pending\\s+cli-[0-9a-f]{32}$`));
    expect(lines.at(-1)).toMatch(/^More: --cursor \S+$/);
  });

  it('refuses a page size out of range with exit 2', async () => {
    const result = await runCli(['lead', 'list', '--limit', '501', '--env-file', fx.partnerEnv]);
    expect(result.code).toBe(2);
  });
});
