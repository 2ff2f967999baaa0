import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { generatePartnerKeys, RSA_BITS, renderCareosEnv, renderPartnerEnv } from '../../lib/keygen.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { noun } from '../../lib/nouns.js';

/** Where partner.env points when `--api-url` is not given: test keys belong to a local sandbox. */
const DEFAULT_API_URL = { live: 'https://api.careos.app', test: 'http://127.0.0.1:8000' } as const;

interface Options {
  out: string;
  bits: number;
  apiUrl?: string;
  json?: boolean;
  force?: boolean;
  files: boolean;
}

function parseBits(value: string): number {
  const bits = Number(value);
  if (!(RSA_BITS as readonly number[]).includes(bits)) throw new InvalidArgumentError(`must be one of ${RSA_BITS.join(', ')}`);
  return bits;
}

/** A written file as the hint shows it: relative to the current directory, as it would be typed. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

/** `careos keys generate <partner> <env>`: API key, RSA key pair, salt and key id for a new partner. */
export function register(program: Command): void {
  noun(program, 'keys')
    .command('generate')
    .description('Generate an API key, an RSA key pair, a phone-hash salt and the key id for a partner')
    .argument('<partner>', 'partner platform name, e.g. businessos')
    .argument('<env>', 'key environment: live or test')
    .option('--out <dir>', 'directory for careos.env and partner.env', '.')
    .option('--bits <bits>', `RSA modulus size (${RSA_BITS.join('|')})`, parseBits, 2048)
    .option('--api-url <url>', `API URL written into partner.env (default: ${DEFAULT_API_URL.test} for test keys, ${DEFAULT_API_URL.live} for live keys)`)
    .option('--no-files', 'only print, write no files')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print everything as one JSON object')
    .addHelpText(
      'after',
      '\nWrites (mode 0600):\n  careos.env   the CareOS server side (private key, partner API key, salt)\n  partner.env  the partner side (API key, public key, key id, salt, API URL)',
    )
    .action(async (partner: string, env: string, options: Options) => {
      const { KeyEnvironment, PlatformName } = await import('../../lib/partner-schemas.js');
      if (!PlatformName.safeParse(partner).success) {
        throw new CliError(`Invalid partner "${partner}": use 2-32 lower-case letters or digits, starting with a letter`, ExitCode.USAGE);
      }
      if (!KeyEnvironment.safeParse(env).success) throw new CliError(`Invalid env "${env}": use live or test`, ExitCode.USAGE);
      const out = createOutput({ json: options.json });
      const dir = resolve(options.out);
      const files = { careos: join(dir, 'careos.env'), partner: join(dir, 'partner.env') };
      if (options.files && !options.force) {
        const existing = Object.values(files).filter((f) => existsSync(f));
        if (existing.length) throw new CliError(`Refusing to overwrite ${existing.join(', ')}`, ExitCode.USAGE, 'Use --force or --out <dir>.');
      }
      const apiUrl = options.apiUrl ?? DEFAULT_API_URL[env as keyof typeof DEFAULT_API_URL];
      const keys = await generatePartnerKeys(partner, env, options.bits);
      if (options.files) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(files.careos, renderCareosEnv(keys), { mode: 0o600 });
        writeFileSync(files.partner, renderPartnerEnv(keys, apiUrl), { mode: 0o600 });
      }
      out.data({ ...keys, apiUrl, files: options.files ? files : null }, () =>
        [
          out.color.green(`Generated ${env} credentials for ${partner}`),
          keyValues(out.color, [
            ['API key', keys.apiKey],
            ['Key id', keys.keyId],
            ['RSA bits', keys.bits],
            ['careos.env', options.files ? files.careos : 'not written'],
            ['partner.env', options.files ? files.partner : 'not written'],
          ]),
          '',
          `Start a server with the CareOS side:   careos server start --env ${shown(files.careos)}`,
          `Send a lead with the partner side:     careos lead send --env ${shown(files.partner)} ...`,
        ].join('\n'),
      );
    });
}
