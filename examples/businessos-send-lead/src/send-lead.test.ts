import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CareOS } from '@careos/sdk';
import { startServer, type RunningServer } from '@careos/server-reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./send-lead.ts', import.meta.url));
let server: RunningServer;
let env: Record<string, string>;

beforeAll(async () => {
  // The demo data gives a partner exactly as CareOS onboarding would (demo-credentials.json).
  server = await startServer({ port: 0, dataDir: 'memory', seed: 'demo', logger: false, env: {} });
  const { partner } = server.demoCredentials!;
  env = {
    PATH: process.env.PATH ?? '',
    CAREOS_API_URL: server.url,
    CAREOS_API_KEY: partner.apiKey,
    CAREOS_PLATFORM: partner.platform,
    CAREOS_PUBLIC_KEY: partner.publicKeyPem,
    PHONE_HASH_SALT: partner.phoneHashSalt,
  };
});
afterAll(() => server?.close());

describe('examples/businessos-send-lead', () => {
  it('sends the lead as a partner would run it, and a rerun replays it', async () => {
    const run = () => promisify(execFile)(process.execPath, [script, 'bizos-example-1', '(415) 555-0142'], { env });
    const first = JSON.parse((await run()).stdout);
    expect(first).toMatchObject({ success: true, careos_will_contact: true });
    const second = JSON.parse((await run()).stdout);
    expect(second.careos_lead_id).toBe(first.careos_lead_id);

    const { admin } = server.demoCredentials!;
    const ops = new CareOS({ baseURL: server.url, staffEmail: admin.email, staffPassword: admin.password });
    const lead = (await ops.admin.leads.list({ partner: 'businessos' })).data.find((l) => l.id === first.careos_lead_id);
    await ops.close();
    expect(lead).toMatchObject({ source_conversation_id: 'bizos-example-1', category: 'caregiver_hiring', user_name: 'John Doe' });
  });
});
