import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { startDemoFixture, type DemoFixture } from '../../../test/helpers/demo-server.js';

let fx: DemoFixture;
let staffEnv: Record<string, string>;
let nurseId: string;
beforeAll(async () => {
  fx = await startDemoFixture();
  nurseId = (await fx.server.app.services.staff.create({ name: 'Nurse', email: 'nurse@careos.test', password: 'nurse password 1', role: 'staff' })).id;
  staffEnv = { ...fx.adminEnv(), CAREOS_ADMIN_EMAIL: 'nurse@careos.test', CAREOS_ADMIN_PASSWORD: 'nurse password 1' };
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

describe('careos alerts dismiss', () => {
  it('dismisses as the signed-in staff account, once: a second dismissal keeps the first', async () => {
    const [low] = (await fx.ops.alerts.list({ type: 'inventory_low' })).data;
    const result = await runCli(['alerts', 'dismiss', low!.id, '--json'], { env: staffEnv });
    expect(result.code, result.stderr).toBe(0);
    const dismissed = JSON.parse(result.stdout);
    expect(dismissed).toMatchObject({ id: low!.id, dismissed_by: nurseId, dismissed_at: expect.any(String) });

    const again = await runCli(['alerts', 'dismiss', low!.id], { env: fx.adminEnv() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`by ${nurseId}`);
    expect(await fx.ops.alerts.retrieve(low!.id)).toEqual(dismissed);
    expect((await runCli(['alerts', 'dismiss', 'alrt_00000000000000000000000000'], { env: staffEnv })).code).toBe(3);
  });
});
