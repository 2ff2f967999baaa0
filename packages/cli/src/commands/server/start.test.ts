import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Dashboard } from '@careos/contract';
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

/**
 * The CareOps seed's "Manual Testing with cURL", verbatim (docs/care-operations.md shows the same
 * block): register an admin, log in, read the dashboard with the token.
 */
const SEED_CURLS = [
  `curl -X POST http://localhost:8000/auth/register \\
  -H "Content-Type: application/json" \\
  -d '{"name":"Admin","email":"admin@careops.com","password":"admin123","role":"admin"}'`,
  `curl -X POST http://localhost:8000/auth/login \\
  -H "Content-Type: application/json" \\
  -d '{"email":"admin@careops.com","password":"admin123"}'`,
  `curl -X GET http://localhost:8000/dashboard \\
  -H "Authorization: Bearer <your-token>"`,
];

/** Runs one of the seed's curl commands against `url` in bash, as a reader would; its status and JSON body. */
async function seedCurl(command: string, url: string, token = ''): Promise<{ status: number; body: any }> {
  const script = `${command.replace('http://localhost:8000', url).replace('<your-token>', token)} -s -w '\\n%{http_code}'`;
  const { stdout } = await promisify(execFile)('bash', ['-c', script]);
  const lines = stdout.trimEnd().split('\n');
  return { status: Number(lines.pop()), body: JSON.parse(lines.join('\n')) };
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

  it('serves the CareOps seed\'s three curl commands as written on a fresh data directory', async () => {
    const { info } = await start(['--data-dir', tempDir()]);
    const url = `http://localhost:${info.port}`;
    const registered = await seedCurl(SEED_CURLS[0]!, url);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email: 'admin@careops.com', name: 'Admin', role: 'admin' });
    const login = await seedCurl(SEED_CURLS[1]!, url);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'bearer', user: { email: 'admin@careops.com', role: 'admin' } });
    const dashboard = await seedCurl(SEED_CURLS[2]!, url, login.body.access_token);
    expect(dashboard.status).toBe(200);
    expect(Dashboard.parse(dashboard.body)).toMatchObject({ contacts: { total: 0, new_this_week: 0 }, alerts: { active: 0 } });
    // Once an admin exists, the anonymous register of the quick start is refused.
    expect((await seedCurl(SEED_CURLS[0]!, url)).status).toBe(401);
  });

  it('listens on port 8000 when no --port is given (the seed\'s http://localhost:8000)', async () => {
    const help = await runCli(['server', 'start', '--help']);
    expect(help.stdout).toMatch(/--port <port>\s+port to listen on \(default: 8000\)/);
  });

  it('exits 2 on an invalid port or seed', async () => {
    expect((await runCli(['server', 'start', '--port', '70000'])).code).toBe(2);
    expect((await runCli(['server', 'start', '--seed', 'everything'])).code).toBe(2);
  });
});
