import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built `careos-server` bin (`node scripts/build.ts` builds it; `pnpm test` does so first). */
export const SERVER_BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A `careos-server` running in its own process. */
export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far (pino JSON lines on stdout, then stderr). */
  output(): string;
}

/**
 * Starts the built bin with `args` and exactly `env` (plus PATH and HOME), and resolves once
 * it logs that it is listening.
 */
export async function startChildServer(args: string[], env: Record<string, string>): Promise<ChildServer> {
  if (!existsSync(SERVER_BIN)) throw new Error(`${SERVER_BIN} is missing: build the packages first (node scripts/build.ts)`);
  const child = spawn(process.execPath, [SERVER_BIN, '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`careos-server did not start in time:\n${stdout}\n${stderr}`)), 60_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`careos-server exited (${code ?? signal}) before listening:\n${stdout}\n${stderr}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.includes('"msg":"CareOS reference server listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url as string);
      }
    });
  });
  return { url, child, exited, output: () => `${stdout}\n${stderr}` };
}
