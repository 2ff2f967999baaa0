import { readFileSync } from 'node:fs';
import type { RouteSpec } from '@careos/contract';
import { CliError, ExitCode } from './exit-codes.js';
import { readStdin } from './stdin.js';

/** How `careos api` authenticates: the scheme of the route, in the CLI's words. */
export type ApiAuth = 'partner' | 'admin' | 'integration' | 'lookup' | 'none';

/** The CLI's name of each contract auth scheme. */
const AUTH_OF: Readonly<Record<RouteSpec['auth'], ApiAuth>> = {
  partnerKey: 'partner',
  staffJwt: 'admin',
  integrationJwt: 'integration',
  lookupKey: 'lookup',
  none: 'none',
  // Provider webhooks carry the provider's signature, which the caller passes with --header.
  twilioSignature: 'none',
  sendgridSignature: 'none',
  googleChannelToken: 'none',
  graphClientState: 'none',
};

/**
 * The route of the contract that `method path` calls, if any: `{name}` placeholders match one
 * path segment, and the query string is ignored.
 */
export function matchRoute(routes: readonly RouteSpec[], method: string, path: string): RouteSpec | undefined {
  const bare = path.split(/[?#]/)[0]!.replace(/\/+$/, '') || '/';
  return routes.find((route) => {
    if (route.method !== method) return false;
    const pattern = `^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`;
    return new RegExp(pattern).test(bare);
  });
}

/** The credentials a route needs, in the CLI's words. */
export function authOf(route: RouteSpec | undefined): ApiAuth {
  return route ? AUTH_OF[route.auth] : 'none';
}

/**
 * The request body of `--data`: JSON text, `@file` for a file's content, or `-` for stdin.
 * It must parse as JSON (the API takes nothing else); it is sent as given.
 */
export async function readData(value: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text: string;
  let where = '--data';
  if (value === '-') {
    text = await readStdin(stdin);
    where = '--data - (stdin)';
  } else if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(`Cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, ExitCode.USAGE);
    }
    where = value;
  } else text = value;
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliError(`${where} is not valid JSON: ${(error as Error).message}`, ExitCode.USAGE);
  }
  return text;
}

/** The exit code of an HTTP status: 0 for 2xx, 3 for other 4xx-and-below, 4 for 5xx. */
export function exitCodeOf(status: number): ExitCode {
  if (status >= 200 && status < 300) return ExitCode.OK;
  return status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR;
}
