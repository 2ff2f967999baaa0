import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { olderEnvFileOption, readEnvFileOption } from '../../lib/env-file.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { loadServerPackage } from '../../lib/server-package.js';

interface Options {
  dataDir: string;
  databaseUrl?: string;
  newKeyFile?: string;
  env?: string;
  envFile?: string;
  json?: boolean;
}

/** The new key's text: from a file, or all of stdin for `-` (never from the command line, where `ps` and shell history would show it). */
async function readNewKey(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new CliError(`Cannot read --new-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ExitCode.USAGE);
    }
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/** `careos server rotate-master-key`: re-wraps the server's data keys with a new master key. */
export function register(program: Command): void {
  noun(program, 'server')
    .command('rotate-master-key')
    .description(
      'Re-wrap the reference server’s data keys with a new master key, in one transaction. The current key comes from CAREOS_MASTER_KEY, CAREOS_MASTER_KEY_FILE or the key file beside the data directory (which then receives the new key); stop an embedded server first.',
    )
    .option('--data-dir <dir>', 'embedded database directory', '.careos/data')
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL); replaces the embedded database')
    .option('--new-key-file <path>', 'file holding the new key, 32 random bytes in base64 (e.g. from openssl rand -base64 32); "-" reads it from stdin')
    .option('--env <file>', 'server settings from a .env file, as for `careos server start`')
    .addOption(olderEnvFileOption())
    .option('--json', 'print the outcome as JSON')
    .action(async (options: Options) => {
      const out = createOutput({ json: options.json });
      if (!options.newKeyFile) throw new CliError('Missing --new-key-file <path> (or --new-key-file - to read the new key from stdin)', ExitCode.USAGE);
      const env = { ...process.env, ...readEnvFileOption(options) };
      const text = await readNewKey(options.newKeyFile);
      // Loaded here, not at the top: the server would add most of a second to every other command's start.
      const { LocalMasterKey, MasterKeyError, rotateMasterKey } = await loadServerPackage('careos server rotate-master-key');
      let newKey;
      try {
        newKey = LocalMasterKey.fromBase64(text, '--new-key-file');
      } catch (error) {
        if (error instanceof MasterKeyError) throw new CliError(error.message, ExitCode.USAGE);
        throw error;
      }
      const result = await rotateMasterKey({
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir }),
        env,
        newKey,
      });
      out.data(
        { old_key_id: result.oldKeyId, new_key_id: result.newKeyId, rewrapped: result.rewrapped, key_file: result.keyFile },
        () =>
          [
            out.color.green(`Master key rotated: ${result.rewrapped} data key(s) re-wrapped`),
            keyValues(out.color, [
              ['Old master key', result.oldKeyId],
              ['New master key', result.newKeyId],
              ['Key file', result.keyFile ?? '—'],
            ]),
            result.keyFile
              ? out.color.dim('The key file now holds the new key: start the server as before.')
              : out.color.dim('Start the server with CAREOS_MASTER_KEY (or CAREOS_MASTER_KEY_FILE) set to the new key; the old key no longer opens this database.'),
          ].join('\n'),
      );
    });
}
