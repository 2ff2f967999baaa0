import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestHeaders } from '@careos/webhook-verifier';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET = newSecret();
const body = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alertId: 'talrt_1', clientId: 'cli_1', severity: 'HIGH' });

function write(name: string, content: string): string {
  const path = join(tempDir('careos-verify-'), name);
  writeFileSync(path, content);
  return path;
}

const bodyFile = write('body.json', body);
const headerFlags = (headers: Record<string, string>, names = ['webhook-id', 'webhook-timestamp', 'webhook-signature']) =>
  names.flatMap((name) => ['--header', `${name}: ${headers[name]}`]);

describe('careos webhooks verify', () => {
  it('accepts a delivery signed as CareOS signs it: exit 0, with its event type and id', async () => {
    const headers = createTestHeaders(SECRET, body, { event: 'alert.created', id: 'msg_verify_1' });
    const human = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...headerFlags(headers)]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^✓ valid {2}alert\.created {2}msg_verify_1 {2}standard scheme, signed /);

    const json = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...headerFlags(headers), '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, scheme: 'standard', type: 'alert.created', id: 'msg_verify_1', timestamp: expect.any(String) });
    expect(human.stdout + human.stderr + json.stdout).not.toContain(SECRET);
  });

  it('reads headers from a raw HTTP capture or a JSON file, and the body from stdin', async () => {
    const headers = createTestHeaders(SECRET, body, { event: 'alert.created', id: 'msg_verify_2' });
    const capture = write(
      'request.txt',
      ['POST /webhooks HTTP/1.1', 'Host: 127.0.0.1:4000', 'Content-Type: application/json', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', body].join('\r\n'),
    );
    const fromCapture = await runCli(['webhooks', 'verify', '--body', '-', '--headers-file', capture, '--secret', SECRET, '--json'], { input: body });
    expect(fromCapture.code, fromCapture.stderr).toBe(0);
    expect(JSON.parse(fromCapture.stdout)).toMatchObject({ valid: true, id: 'msg_verify_2' });

    const jsonFile = write('headers.json', JSON.stringify(headers));
    const fromJson = await runCli(['webhooks', 'verify', '--body', bodyFile, '--headers-file', jsonFile, '--secret', SECRET]);
    expect(fromJson.code, fromJson.stderr).toBe(0);

    // A --header replaces the file's value of the same name: here with a forged signature.
    const overridden = await runCli(['webhooks', 'verify', '--body', bodyFile, '--headers-file', jsonFile, '--secret', SECRET, '--header', 'webhook-signature: v1,AAAA']);
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toContain('NO_MATCHING_SIGNATURE');
  });

  it('refuses a tampered body, a wrong secret and a stale timestamp: exit 1 with the verifier’s code and message', async () => {
    const headers = createTestHeaders(SECRET, body, { event: 'alert.created' });
    const tampered = await runCli(['webhooks', 'verify', '--body', write('tampered.json', body.replace('HIGH', 'LOW')), '--secret', SECRET, ...headerFlags(headers), '--json']);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ valid: false, scheme: 'standard', code: 'NO_MATCHING_SIGNATURE', message: expect.any(String) });

    const wrongSecret = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', newSecret(), ...headerFlags(headers)]);
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stdout).toMatch(/^✗ invalid {2}NO_MATCHING_SIGNATURE: /);

    // During a rotation both secrets are passed; the right one among them is enough.
    const rotation = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', newSecret(), '--secret', SECRET, ...headerFlags(headers)]);
    expect(rotation.code, rotation.stdout).toBe(0);

    const stale = createTestHeaders(SECRET, body, { event: 'alert.created', timestamp: new Date(Date.now() - 10 * 60_000) });
    const old = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...headerFlags(stale), '--json']);
    expect(old.code).toBe(1);
    expect(JSON.parse(old.stdout)).toMatchObject({ valid: false, code: 'TIMESTAMP_TOO_OLD' });
    const tolerant = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...headerFlags(stale), '--tolerance', '3600']);
    expect(tolerant.code, tolerant.stdout).toBe(0);
  });

  it('--legacy checks the X-CareOS-Signature scheme (also under the X-LoveRescue names)', async () => {
    const headers = createTestHeaders(SECRET, body, { event: 'alert.created' });
    const legacyOnly = headerFlags(headers, ['x-careos-signature', 'x-careos-timestamp', 'x-careos-event']);
    const standard = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...legacyOnly, '--json']);
    expect(standard.code).toBe(1);
    expect(JSON.parse(standard.stdout)).toMatchObject({ valid: false, code: 'MISSING_HEADER' });

    const legacy = await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...legacyOnly, '--legacy', '--json']);
    expect(legacy.code, legacy.stdout).toBe(0);
    expect(JSON.parse(legacy.stdout)).toMatchObject({ valid: true, scheme: 'legacy', type: 'alert.created', id: null });

    const loveRescue = ['x-careos-signature', 'x-careos-timestamp', 'x-careos-event'].flatMap((name) => ['--header', `${name.replace('careos', 'loverescue')}: ${headers[name as keyof typeof headers]}`]);
    expect((await runCli(['webhooks', 'verify', '--body', bodyFile, '--secret', SECRET, ...loveRescue, '--legacy'])).code).toBe(0);

    const tamperedLegacy = await runCli(['webhooks', 'verify', '--body', write('t.json', `${body} `), '--secret', SECRET, ...legacyOnly, '--legacy']);
    expect(tamperedLegacy.code).toBe(1);
  });

  it('takes the secret from --webhook-secret, CAREOS_WEBHOOK_SECRET or the stored profile; none or a malformed one is exit 2', async () => {
    const headers = createTestHeaders(SECRET, body, { event: 'alert.created' });
    const args = ['webhooks', 'verify', '--body', bodyFile, ...headerFlags(headers)];
    expect((await runCli([...args, '--webhook-secret', SECRET])).code).toBe(0);
    expect((await runCli(args, { env: { CAREOS_WEBHOOK_SECRET: SECRET } })).code).toBe(0);

    const env = { CAREOS_CONFIG_DIR: tempDir('careos-config-'), CAREOS_CREDENTIAL_STORE: 'file' };
    const login = await runCli(['auth', 'login', '--webhook-secret', SECRET], { env });
    expect(login.code, login.stderr).toBe(0);
    expect((await runCli(args, { env })).code).toBe(0);

    const missing = await runCli(args);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing required options: --webhook-secret (or CAREOS_WEBHOOK_SECRET)');

    const malformed = await runCli([...args, '--secret', 'not a secret', '--json']);
    expect(malformed.code).toBe(2);
    expect(JSON.parse(malformed.stdout)).toMatchObject({ valid: false, code: 'SECRET_WHITESPACE' });
    const noBody = await runCli([...args, '--secret', SECRET, '--body', join(tempDir(), 'absent.json')]);
    expect(noBody.code).toBe(2);
    expect(noBody.stderr).toContain('Cannot read the body');
  });
});
