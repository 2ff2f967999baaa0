import { CliError, ExitCode } from './exit-codes.js';

/** The optional package that holds the reference server. */
export const SERVER_PACKAGE = '@careos/server-reference';

/** The reference server's module, as `careos server …` and `careos demo` use it. */
export type ServerModule = typeof import('@careos/server-reference');

/**
 * Loads `@careos/server-reference`, which the CLI does not install by default: it brings
 * PGlite, Express, a native argon2 build and about 70 MB that no API command needs. When it is
 * missing, the command stops with {@link ExitCode.NOT_INSTALLED} and the exact command to add it.
 *
 * @param command the command that needs it, for the message (e.g. `careos server start`)
 */
export async function loadServerPackage(command: string): Promise<ServerModule> {
  try {
    return await import('@careos/server-reference');
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new CliError(
      `${command} needs the reference server, which is not installed (${SERVER_PACKAGE} is an optional peer of @careos/cli).`,
      ExitCode.NOT_INSTALLED,
      [
        `Add it next to the CLI, then run the command again:`,
        `  npm install -g ${SERVER_PACKAGE}    # when @careos/cli is installed globally (npm install -g @careos/cli)`,
        `  npm install ${SERVER_PACKAGE}       # when @careos/cli is a dependency of this project (npx careos …)`,
      ].join('\n'),
    );
  }
}

/** True for "package not found" about the server package itself, not about one of its own dependencies. */
function isMissing(error: unknown): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${SERVER_PACKAGE}'`);
}
