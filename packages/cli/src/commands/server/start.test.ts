import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_CURL_LEAD, SEED_SAMPLE_API_KEY } from '@careos/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from '../../../test/helpers/cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `careos server start ... --json` and resolves with its JSON document once it is listening. */
function start(args: string[]): Promise<{ info: Record<string, any>; stderr: () => string }> {
  child = spawn(process.execPath, [CLI_BIN, 'server', 'start', '--port', '0', '--json', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: tempDir(), NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    child!.stdout!.on('data', (chunk) => {
      stdout += chunk;
      try {
        resolve({ info: JSON.parse(stdout), stderr: () => stderr });
      } catch {
        // not complete yet
      }
    });
  });
}

function exitCode(process: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => process.once('exit', (code) => resolve(code)));
}


describe('careos server start', () => {
  it('--seed demo serves the seed curl as documented, writes 0600 credentials, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const { info, stderr } = await start(['--seed', 'demo', '--data-dir', dataDir]);
    expect(info).toMatchObject({ database: 'pglite', data_dir: dataDir, demo_credentials_file: join(dataDir, 'demo-credentials.json') });
    expect(stderr()).toContain('CareOS reference server listening'); // logs on stderr, JSON alone on stdout

    const file = info.demo_credentials_file as string;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(credentials.partner).sort()).toEqual(['apiKey', 'keyId', 'phoneHashSalt', 'platform', 'publicKeyPem']);
    expect(Object.keys(credentials.admin).sort()).toEqual(['email', 'password']);

    const response = await fetch(`${info.url}/api/leads/ingest`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': SEED_SAMPLE_API_KEY, 'X-Platform': 'businessos' },
      body: JSON.stringify(SEED_CURL_LEAD),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'Failed to decrypt user data' });

    const exited = exitCode(child!);
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--env runs with the keys from careos keys generate, and the partner side sends to it', async () => {
    const keysDir = tempDir();
    expect((await runCli(['keys', 'generate', 'acme', 'test', '--out', keysDir])).code).toBe(0);
    const { info } = await start(['--env', join(keysDir, 'careos.env'), '--data-dir', 'memory']);
    const sent = await runCli([
      'lead', 'send', '--env', join(keysDir, 'partner.env'), '--api-url', info.url, '--json',
      '--phone', '+14155550100', '--category', 'healthcare', '--message', 'help', '--value', '10', '--consent',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ success: true, is_new_user: true });
  });

  it('exits 2 on an invalid port or seed', async () => {
    expect((await runCli(['server', 'start', '--port', '70000'])).code).toBe(2);
    expect((await runCli(['server', 'start', '--seed', 'everything'])).code).toBe(2);
  });
});
