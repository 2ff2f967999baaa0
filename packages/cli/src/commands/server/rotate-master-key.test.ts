import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from '../../../test/helpers/cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** `careos server start --json` until it listens (resolving its JSON) or exits (rejecting with its stderr). */
function start(args: string[], env: Record<string, string> = {}): Promise<Record<string, any>> {
  child = spawn(process.execPath, [CLI_BIN, 'server', 'start', '--port', '0', '--json', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: tempDir(), NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`exit ${code}: ${stderr}`)));
    child!.stdout!.on('data', (chunk) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout));
      } catch {
        // not complete yet
      }
    });
  });
}

async function stop(): Promise<void> {
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child!.kill('SIGTERM');
  await exited;
  child = undefined;
}

describe('careos server rotate-master-key', () => {
  it('re-wraps an embedded database’s keys: the key file gets the new key, tokens survive the restart, the old key is refused', async () => {
    const dataDir = join(tempDir(), 'data');
    const keyFile = `${dataDir}.master.key`;
    const first = await start(['--seed', 'demo', '--data-dir', dataDir]);
    const login = await fetch(`${first.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first.demo_credentials.admin) });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    await stop();
    const oldKey = readFileSync(keyFile, 'utf8').trim();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const newKey = randomBytes(32).toString('base64');
    const rotated = await runCli(['server', 'rotate-master-key', '--data-dir', dataDir, '--new-key-file', '-', '--json'], { input: `${newKey}\n` });
    expect(rotated.code, rotated.stderr).toBe(0);
    const outcome = JSON.parse(rotated.stdout);
    expect(outcome).toMatchObject({ rewrapped: 1, key_file: keyFile, old_key_id: expect.stringMatching(/^local:/), new_key_id: expect.stringMatching(/^local:/) });
    expect(outcome.old_key_id).not.toBe(outcome.new_key_id);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(newKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(rotated.stdout + rotated.stderr).not.toContain(newKey);

    // Same data keys, so the signing secret and every token it signed are unchanged.
    const second = await start(['--data-dir', dataDir]);
    const leads = await fetch(`${second.url}/admin/leads`, { headers: { authorization: `Bearer ${token}` } });
    expect(leads.status).toBe(200);
    await stop();

    const refused = await start(['--data-dir', dataDir], { CAREOS_MASTER_KEY: oldKey }).catch((error: Error) => error.message);
    expect(refused).toMatch(/^exit 1: /);
    expect(refused).toContain(`wrapped by master key ${outcome.new_key_id}, but the master key given is ${outcome.old_key_id} (CAREOS_MASTER_KEY)`);
    expect(refused).not.toContain(oldKey);
  });

  it('takes the new key only from a file or stdin, and says what is wrong without echoing it', async () => {
    const dir = tempDir();
    const missing = await runCli(['server', 'rotate-master-key', '--data-dir', join(dir, 'data')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing --new-key-file');

    const short = randomBytes(16).toString('base64');
    const file = join(dir, 'new.key');
    writeFileSync(file, short);
    const bad = await runCli(['server', 'rotate-master-key', '--data-dir', join(dir, 'data'), '--new-key-file', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--new-key-file must be 32 random bytes in base64');
    expect(bad.stderr).not.toContain(short);

    writeFileSync(file, randomBytes(32).toString('base64'));
    const nothing = await runCli(['server', 'rotate-master-key', '--data-dir', join(dir, 'data'), '--new-key-file', file]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(`There is no embedded database in ${join(dir, 'data')}`);
  });
});
