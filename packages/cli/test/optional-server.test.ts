import { cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The CLI as npm installs it without the server: its built files and, beside them, only the
 * packages its `dependencies` name (linked from the workspace). No `@careos/*` package is
 * there: the SDK, contract and verifier are bundled, and the server is an optional peer.
 */
function installWithoutServer(): string {
  const root = join(tempDir('careos-cli-install-'), 'node_modules');
  const cli = join(root, '@careos', 'cli');
  mkdirSync(cli, { recursive: true });
  cpSync(join(CLI_DIR, 'dist'), join(cli, 'dist'), { recursive: true });
  cpSync(join(CLI_DIR, 'package.json'), join(cli, 'package.json'));
  const manifest = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    symlinkSync(realpathSync(join(CLI_DIR, 'node_modules', name)), join(root, name), 'dir');
  }
  return join(cli, 'dist', 'bin.js');
}

describe('the CLI installed without @careos/server-reference', () => {
  let bin: string;
  beforeAll(() => {
    bin = installWithoutServer();
  });

  it.each([
    [['server', 'start', '--data-dir', 'memory'], 'careos server start'],
    [['server', 'rotate-master-key', '--new-key-file', '-'], 'careos server rotate-master-key'],
    [['demo'], 'careos demo'],
  ])('%s exits 6 saying how to add the server', async (args, command) => {
    const result = await runCli(args, { bin, input: `${Buffer.alloc(32, 1).toString('base64')}\n` });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(`${command} needs the reference server, which is not installed`);
    expect(result.stderr).toContain('npm install -g @careos/server-reference');
    expect(result.stderr).toMatch(/^ {2}npm install @careos\/server-reference /m);
  });

  it('every other command works: --version, keys generate, and lead send with the bundled SDK', async () => {
    expect((await runCli(['--version'], { bin })).code).toBe(0);
    const keys = await runCli(['keys', 'generate', 'businessos', 'test', '--no-files', '--json'], { bin });
    expect(keys.code).toBe(0);
    expect(JSON.parse(keys.stdout)).toMatchObject({ apiKey: expect.stringMatching(/^businessos_test_/) });

    const publicKey = join(tempDir(), 'public.pem');
    writeFileSync(publicKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const lead = await runCli(
      [
        ...['lead', 'send', '--dry-run', '--json', '--api-url', 'http://127.0.0.1:9', '--api-key', 'businessos_test_x', '--platform', 'businessos'],
        ...['--public-key', publicKey, '--salt', 'salt', '--phone', '+14155550123', '--name', 'Ada', '--country', 'US'],
        ...['--category', 'healthcare', '--message', 'I need a caregiver', '--consent', '--value', '15', '--conversation-id', 'optional-server-1'],
      ],
      { bin },
    );
    expect(lead.stderr).toBe('');
    expect(lead.code).toBe(0);
    expect(JSON.parse(lead.stdout)).toMatchObject({ url: 'http://127.0.0.1:9/api/leads/ingest' });
  });
});
