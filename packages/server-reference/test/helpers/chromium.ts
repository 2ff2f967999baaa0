import { accessSync, constants } from 'node:fs';

/** Where the browser tests' Chromium came from. */
export interface FoundChromium {
  path: string;
  source: 'CHROMIUM_PATH' | '/usr/bin/chromium' | '@sparticuz/chromium';
}

/** The flags every browser test starts Chromium with (this machine's network is closed: no background traffic). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Chromium to drive: `CHROMIUM_PATH` when it names one; else Debian's `/usr/bin/chromium`;
 * else the binary the npm package `@sparticuz/chromium` ships (a devDependency, so a machine with
 * only Node and npm still has one). A `CHROMIUM_PATH` that names nothing skips the system browser,
 * which is how the npm fallback is tried on a machine that has both.
 *
 * @throws Error saying how to get one, so a browser test fails rather than skips without it.
 */
export async function findChromium(): Promise<FoundChromium> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured && executable(configured)) return { path: configured, source: 'CHROMIUM_PATH' };
  if (!configured && executable('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: '/usr/bin/chromium' };
  let reason: string;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    const path = await packaged.executablePath();
    if (executable(path)) return { path, source: '@sparticuz/chromium' };
    reason = `@sparticuz/chromium unpacked to ${path}, which is not executable`;
  } catch (error) {
    reason = `@sparticuz/chromium failed: ${(error as Error).message}`;
  }
  throw new Error(
    `No Chromium for the browser tests (${configured ? `CHROMIUM_PATH=${configured} is not executable; ` : ''}${reason}). ` +
      'Install Debian\'s chromium (apt-get install -y chromium), set CHROMIUM_PATH to a Chromium binary, or reinstall the dev dependencies.',
  );
}
