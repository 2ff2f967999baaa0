import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { rawIntegrationGet, useDemoFixture } from '../../../test/helpers/demo-server.js';

const fx = useDemoFixture();

const alerts = (...args: string[]) => runCli(['integration', 'alerts', ...args], { env: fx.integrationEnv() });
type Alert = { id: string; alertType: string; readAt: string | null; createdAt: string };

describe('careos integration alerts', () => {
  it('--json prints one page exactly as the API returns it, with unreadCount, total and next_cursor', async () => {
    const result = await alerts('--json');
    expect(result.code, result.stderr).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page).toEqual(await rawIntegrationGet(fx, '/api/integration/alerts'));
    expect(page.alerts.length).toBeGreaterThan(2);
    expect(page.total).toBe(page.alerts.length);
  });

  it('--limit sets the page size and --cursor walks to the next page', async () => {
    const all = JSON.parse((await alerts('--json')).stdout).alerts as Alert[];
    const first = JSON.parse((await alerts('--limit', '2', '--json')).stdout);
    expect(first.alerts.map((a: Alert) => a.id)).toEqual(all.slice(0, 2).map((a) => a.id));
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = JSON.parse((await alerts('--limit', '2', '--cursor', first.next_cursor, '--json')).stdout);
    expect(second.alerts.map((a: Alert) => a.id)).toEqual(all.slice(2, 4).map((a) => a.id));

    const human = await alerts('--limit', '2');
    expect(human.stdout).toMatch(/^CREATED \(UTC\)\s+TYPE\s+SEVERITY\s+CLIENT\s+STATUS\s+MESSAGE$/m);
    expect(human.stdout).toContain(`2 shown of ${all.length} matching`);
    expect(human.stdout).toContain(`More: --cursor ${first.next_cursor}`);
  });

  it('filters by --type (any case), --unread-only and --since', async () => {
    const crisis = JSON.parse((await alerts('--type', 'crisis', '--json')).stdout).alerts as Alert[];
    expect(crisis.length).toBeGreaterThan(0);
    expect(crisis.every((a) => a.alertType === 'CRISIS')).toBe(true);

    const unread = JSON.parse((await alerts('--unread-only', '--json')).stdout);
    expect(unread.alerts.every((a: Alert) => a.readAt === null)).toBe(true);
    expect(unread.total).toBe(unread.unreadCount);

    const all = JSON.parse((await alerts('--json')).stdout).alerts as Alert[];
    const cut = all[1]!.createdAt;
    const since = JSON.parse((await alerts('--since', cut, '--json')).stdout).alerts as Alert[];
    expect(since.map((a) => a.id)).toEqual(all.filter((a) => a.createdAt > cut).map((a) => a.id));

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await alerts('--since', tomorrow);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('No alerts match.');
  });

  it('rejects a bad type, limit or date before calling the API (exit 2)', async () => {
    for (const args of [['--type', 'urgent'], ['--limit', '0'], ['--limit', '501'], ['--since', 'yesterday-ish']]) {
      const result = await alerts(...args);
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect((await alerts('--type', 'urgent')).stderr).toContain('must be one of CRISIS, RISK, MILESTONE, STAGNATION');
  });
});
