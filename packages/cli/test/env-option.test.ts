import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envOptionLast } from '../src/program.js';
import { runCli, tempDir } from './helpers/cli.js';

// Node reads its own `--env-file` anywhere on the command line and exits 9 before the CLI runs
// when the file is missing; `--env` is the CLI's flag, so the CLI's own message and exit 2 come out.
describe('--env <file>', () => {
  const missing = join(tempDir(), 'no-such.env');
  const commands: string[][] = [
    ['lead', 'send', '--dry-run'],
    ['lead', 'list'],
    ['lead', 'get', 'lead_x'],
    ['payments', 'list'],
    ['audit', 'verify'],
    ['webhooks', 'deliveries'],
    ['webhooks', 'redeliver', 'whmsg_x'],
    ['auth', 'status', '--offline'],
    ['auth', 'login', '--no-verify'],
    ['payments', 'process'],
    ['integration', 'clients'],
    ['lookup', '+14155550123'],
    ['webhooks', 'verify', '--body', '-'],
    ['server', 'start', '--data-dir', 'memory'],
    ['server', 'rotate-master-key', '--new-key-file', '-'],
  ];

  it.each(commands)('a missing file exits 2 naming the file: careos %s %s', async (...command) => {
    const result = await runCli([...command, '--env', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Cannot read the env file ${missing}: no such file`);
  });

  it.each([['--env', missing], [`--env=${missing}`]])('a missing file given before the command exits 2 naming the file: careos %s … lead list', async (...env) => {
    const result = await runCli([...env, 'lead', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Cannot read the env file ${missing}: no such file`);
  });

  it('the same through the installed shebang (#!/usr/bin/env node), where Node sees every argument', async () => {
    const result = await runCli(['lead', 'send', '--dry-run', '--env', missing], { viaShebang: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Cannot read the env file ${missing}`);
  });

  it('reads the settings from the file', async () => {
    const file = join(tempDir(), 'partner.env');
    writeFileSync(file, 'CAREOS_API_URL=http://127.0.0.1:9\nCAREOS_PLATFORM=fileplat\n');
    const result = await runCli(['auth', 'status', '--offline', '--json', '--env', file], { env: { CAREOS_CREDENTIAL_STORE: 'file' } });
    const status = JSON.parse(result.stdout) as { settings: { setting: string; source: string | null; value: string | null }[] };
    expect(status.settings.find((s) => s.setting === 'platform')).toMatchObject({ source: 'env-file', value: 'fileplat' });
  });

  it('reads the file given before the command as the command\'s own --env', async () => {
    const file = join(tempDir(), 'partner.env');
    writeFileSync(file, 'CAREOS_PLATFORM=firstplat\n');
    const result = await runCli(['--env', file, 'auth', 'status', '--offline', '--json'], { env: { CAREOS_CREDENTIAL_STORE: 'file' } });
    const status = JSON.parse(result.stdout) as { settings: { setting: string; source: string | null; value: string | null }[] };
    expect(status.settings.find((s) => s.setting === 'platform')).toMatchObject({ source: 'env-file', value: 'firstplat' });
  });

  it('moves only a leading --env to the command, before any `--`', () => {
    expect(envOptionLast(['--env', 'a.env', 'lead', 'list', '--json'])).toEqual(['lead', 'list', '--json', '--env', 'a.env']);
    expect(envOptionLast(['--env=a.env', 'api', 'GET', '/x', '--', '--raw'])).toEqual(['api', 'GET', '/x', '--env=a.env', '--', '--raw']);
    expect(envOptionLast(['--env-file', 'a.env', 'lead', 'list'])).toEqual(['lead', 'list', '--env-file', 'a.env']);
    expect(envOptionLast(['lead', 'list', '--env', 'a.env'])).toEqual(['lead', 'list', '--env', 'a.env']);
    expect(envOptionLast(['--help'])).toEqual(['--help']);
  });

  it('a command without settings says --env is not its option, exit 2', async () => {
    const result = await runCli(['--env', missing, 'completion', 'bash']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--env'");
  });

  it('--env-file, the older spelling, still reads an existing file and says it is now --env', async () => {
    const file = join(tempDir(), 'partner.env');
    writeFileSync(file, 'CAREOS_PLATFORM=oldplat\n');
    const result = await runCli(['auth', 'status', '--offline', '--json', '--env-file', file], { env: { CAREOS_CREDENTIAL_STORE: 'file' } });
    const status = JSON.parse(result.stdout) as { settings: { setting: string; source: string | null; value: string | null }[] };
    expect(status.settings.find((s) => s.setting === 'platform')).toMatchObject({ source: 'env-file', value: 'oldplat' });
    expect(result.stderr).toContain('--env-file is now --env');
    const help = await runCli(['lead', 'send', '--help']);
    expect(help.stdout).toContain('--env <file>');
    expect(help.stdout).not.toContain('--env-file');
  });
});
