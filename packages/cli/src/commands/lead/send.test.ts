import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPhone, unescapePem } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { allLeads, useFixture } from '../../../test/helpers/server.js';

const fx = useFixture();

const leadFlags = (id: string) => [
  '--conversation-id', id, '--phone', '(415) 555-0100', '--name', 'John Doe', '--category', 'healthcare',
  '--subcategory', 'caregiver_hiring', '--message', 'I need a caregiver for my mom', '--value', '15', '--consent',
  // A resend must be the same lead: pin the consent time rather than defaulting to now.
  '--consent-timestamp', '2025-01-08T12:00:00Z',
];

function seedLead(id: string, extra: Record<string, unknown> = {}) {
  return {
    source_conversation_id: id,
    phone: '+14155550111',
    user_language: 'es',
    category: 'medication',
    original_message: 'Necesito ayuda con medicamentos',
    ai_extracted_details: { urgency: 'high' },
    user_consent: true,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 10,
    ...extra,
  };
}

describe('careos lead send', () => {
  it('sends a lead from flags, then reports the resend as a replay with the same ids', async () => {
    const first = await runCli(['lead', 'send', ...leadFlags('cli-flags-1'), '--env-file', fx.partnerEnv, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const sent = JSON.parse(first.stdout);
    expect(sent).toMatchObject({ success: true, replayed: false, is_new_user: true, careos_will_contact: true });
    expect(sent.careos_lead_id).toMatch(/^lead_/);

    const again = await runCli(['lead', 'send', ...leadFlags('cli-flags-1'), '--env-file', fx.partnerEnv, '--json']);
    expect(again.code).toBe(0);
    const replay = JSON.parse(again.stdout);
    expect(replay).toMatchObject({ replayed: true, careos_lead_id: sent.careos_lead_id, careos_user_id: sent.careos_user_id });
    expect((await allLeads(fx.ops)).filter((l) => l.source_conversation_id === 'cli-flags-1')).toHaveLength(1);
  });

  it('sends lead.json with a plain phone, and the human output names the lead', async () => {
    const file = join(tempDir(), 'lead.json');
    writeFileSync(file, JSON.stringify(seedLead('cli-file-1')));
    const result = await runCli(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Lead sent');
    const lead = (await allLeads(fx.ops)).find((l) => l.source_conversation_id === 'cli-file-1');
    expect(lead).toMatchObject({ category: 'rx_management', user_language: 'es' });
    expect(result.stdout).toContain(lead!.id);
  });

  it('--dry-run prints the exact encrypted request and sends nothing', async () => {
    const before = (await allLeads(fx.ops)).length;
    const result = await runCli(['lead', 'send', ...leadFlags('cli-dry-1'), '--env-file', fx.partnerEnv, '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const request = JSON.parse(result.stdout);
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${fx.server.url}/api/leads/ingest`);
    expect(request.headers['x-careos-key-id']).toBe(fx.keys.keyId);
    expect(request.headers['x-api-key']).not.toContain(fx.keys.apiKey.slice(-20));
    expect(request.body.user_phone_hash).toBe(hashPhone('+14155550100', fx.keys.phoneHashSalt));
    const phone = privateDecrypt(
      { key: createPrivateKey(unescapePem(fx.keys.privateKeyPem)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(request.body.user_phone_encrypted, 'base64'),
    );
    expect(phone.toString()).toBe('+14155550100');
    expect(JSON.stringify(request)).not.toContain('555-0100');
    expect((await allLeads(fx.ops)).length).toBe(before);
  });

  it('without a TTY, fails with exit 2 listing every missing option instead of prompting', async () => {
    const result = await runCli(['lead', 'send', '--env-file', fx.partnerEnv, '--consent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Missing required options: --phone, --category, --message, --value');
    const noKey = await runCli(['lead', 'send', ...leadFlags('x'), '--api-url', fx.server.url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--api-key (or CAREOS_API_KEY)');
  });

  it('requires explicit consent', async () => {
    const flags = leadFlags('cli-noconsent').filter((f) => f !== '--consent');
    const result = await runCli(['lead', 'send', ...flags, '--env-file', fx.partnerEnv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--consent');
  });

  it('exits 3 with the API error when a flag overrides the env file with a wrong key', async () => {
    const result = await runCli(['lead', 'send', ...leadFlags('cli-badkey'), '--env-file', fx.partnerEnv, '--api-key', 'businessos_test_wrong']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Invalid API key');
    expect(result.stderr).not.toContain(fx.keys.apiKey);
  });

  it('exits 4 when the API cannot be reached', async () => {
    const result = await runCli(['lead', 'send', ...leadFlags('cli-down'), '--env-file', fx.partnerEnv, '--api-url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(4);
  }, 30_000);

  it('takes the environment over a stored profile, and the env file over the environment', async () => {
    const configDir = tempDir('careos-config-');
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ profiles: { default: { apiUrl: 'http://127.0.0.1:1', apiKey: 'wrong' } } }));
    const env = { CAREOS_CONFIG_DIR: configDir, CAREOS_API_URL: fx.server.url, CAREOS_API_KEY: 'also_wrong' };
    const result = await runCli(['lead', 'send', ...leadFlags('cli-precedence'), '--env-file', fx.partnerEnv, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
  });

  it('derives the conversation id from the lead, so running the same command twice replays it', async () => {
    const flags = ['--phone', '(415) 555-0177', '--category', 'healthcare', '--message', 'Mom needs help at home', '--value', '12', '--consent'];
    const configDir = tempDir('careos-config-');
    const first = await runCli(['lead', 'send', ...flags, '--env-file', fx.partnerEnv, '--json'], { env: { CAREOS_CONFIG_DIR: configDir } });
    expect(first.code, first.stderr).toBe(0);
    const sent = JSON.parse(first.stdout);
    expect(sent.source_conversation_id).toMatch(/^cli-[0-9a-f]{32}$/);
    expect(sent.replayed).toBe(false);
    // The id says nothing about the phone: it is not the phone's plain hash.
    expect(sent.source_conversation_id).not.toContain(hashPhone('+14155550177', '').slice(0, 16));

    const again = await runCli(['lead', 'send', ...flags, '--env-file', fx.partnerEnv, '--json'], { env: { CAREOS_CONFIG_DIR: configDir } });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: true, careos_lead_id: sent.careos_lead_id, source_conversation_id: sent.source_conversation_id });
    expect((await allLeads(fx.ops)).filter((l) => l.source_conversation_id === sent.source_conversation_id)).toHaveLength(1);

    // Another message from the same person is another conversation.
    const other = await runCli(['lead', 'send', ...flags.map((f) => (f === 'Mom needs help at home' ? 'Dad needs help too' : f)), '--env-file', fx.partnerEnv, '--json', '--dry-run'], { env: { CAREOS_CONFIG_DIR: configDir } });
    expect(JSON.parse(other.stdout).body.source_conversation_id).not.toBe(sent.source_conversation_id);
  });

  it('words errors with the flags: --country for a national number, one "--phone:" prefix', async () => {
    const bad = await runCli(['lead', 'send', ...leadFlags('cli-badphone').map((f) => (f === '(415) 555-0100' ? '12' : f)), '--env-file', fx.partnerEnv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--phone: ');
    expect(bad.stderr).toContain('--country');
    expect(bad.stderr).not.toMatch(/phone: phone:|defaultCountry|default country/);

    const badCountry = await runCli(['lead', 'send', ...leadFlags('cli-badcountry'), '--country', 'USA', '--env-file', fx.partnerEnv]);
    expect(badCountry.code).toBe(2);
    expect(badCountry.stderr).toContain('--country: ');
    expect(badCountry.stderr).not.toContain('user_location_country');

    // A national number is read in --country, as CareOS reads it.
    const uk = await runCli(['lead', 'send', ...leadFlags('cli-uk').map((f) => (f === '(415) 555-0100' ? '07700 900123' : f)), '--country', 'GB', '--env-file', fx.partnerEnv, '--json']);
    expect(uk.code, uk.stderr).toBe(0);
  });

  describe('bulk (.jsonl)', () => {
    it('sends every line, records failures verbatim, and a re-run replays what was sent', async () => {
      const dir = tempDir();
      const file = join(dir, 'leads.jsonl');
      const good = Array.from({ length: 5 }, (_, i) => JSON.stringify(seedLead(`cli-bulk-${i}`, { phone: `+1415555020${i}` })));
      const badJson = '{ not json';
      const noConsent = JSON.stringify(seedLead('cli-bulk-noconsent', { user_consent: false }));
      writeFileSync(file, [good[0], good[1], badJson, good[2], '', noConsent, good[3], good[4]].join('\n'));

      const first = await runCli(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv, '--concurrency', '3']);
      expect(first.code, first.stdout + first.stderr).toBe(5);
      const lines = first.stdout.trim().split('\n');
      expect(lines).toHaveLength(7);
      expect(lines.filter((l) => l.startsWith('sent\t'))).toHaveLength(5);
      expect(lines.filter((l) => l.startsWith('failed\t')).map((l) => l.split('\t')[1]).sort()).toEqual(['3', '6']);
      expect(lines).toContain(`sent\t1\tcli-bulk-0\t${(await allLeads(fx.ops)).find((l) => l.source_conversation_id === 'cli-bulk-0')!.id}`);
      // The summary is a report for people: stderr, so stdout stays one line per lead.
      expect(first.stderr).toContain('Summary  sent 5  replayed 0  failed 2');
      expect(first.stderr).toContain('line 6 cli-bulk-noconsent: ');
      const failures = readFileSync(join(dir, 'leads.failed.jsonl'), 'utf8').trim().split('\n');
      expect(failures.sort()).toEqual([badJson, noConsent].sort());

      const second = await runCli(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv, '--json']);
      expect(second.code).toBe(5);
      const records = second.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const summary = records.at(-1);
      expect(summary).toMatchObject({ type: 'summary', total: 7, sent: 0, replayed: 5, failed: 2, stopped: null, failures_file: join(dir, 'leads.failed.jsonl') });
      const perLead = records.slice(0, -1);
      expect(perLead.every((r) => r.type === 'lead')).toBe(true);
      expect(perLead.filter((r) => r.status === 'failed').map((r) => r.line).sort()).toEqual([3, 6]);
      expect(perLead.find((r) => r.line === 6)).toMatchObject({ source_conversation_id: 'cli-bulk-noconsent', code: expect.any(String), error: expect.any(String) });
      expect(perLead.find((r) => r.line === 1)).toMatchObject({ status: 'replayed', source_conversation_id: 'cli-bulk-0', careos_lead_id: expect.stringMatching(/^lead_/) });
      expect((await allLeads(fx.ops)).filter((l) => l.source_conversation_id.startsWith('cli-bulk-'))).toHaveLength(5);
    });

    it('exits 0 and writes no failures file when everything goes through', async () => {
      const dir = tempDir();
      const file = join(dir, 'ok.jsonl');
      writeFileSync(file, `${JSON.stringify(seedLead('cli-bulk-ok-1'))}\n${JSON.stringify(seedLead('cli-bulk-ok-2'))}\n`);
      const result = await runCli(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ sent: 2, failed: 0, failures_file: null });
      expect(existsSync(join(dir, 'ok.failed.jsonl'))).toBe(false);
    });

    it('--file - reads the leads from stdin, and failures go to stdin.failed.jsonl', async () => {
      const dir = tempDir();
      const input = [JSON.stringify(seedLead('cli-stdin-1')), '{ broken', JSON.stringify(seedLead('cli-stdin-2'))].join('\n');
      const result = await runCli(['lead', 'send', '--file', '-', '--env-file', fx.partnerEnv, '--json'], { input, cwd: dir });
      expect(result.code, result.stderr).toBe(5);
      const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(records.filter((r) => r.status === 'sent').map((r) => r.source_conversation_id).sort()).toEqual(['cli-stdin-1', 'cli-stdin-2']);
      expect(records.find((r) => r.status === 'failed')).toMatchObject({ line: 2, error: expect.stringContaining('stdin:2: not valid JSON') });
      expect(readFileSync(join(dir, 'stdin.failed.jsonl'), 'utf8')).toBe('{ broken\n');
    });
  });
});
