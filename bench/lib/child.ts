import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A server running in its own process, so it never shares an event loop with the load generator. */
export interface ChildServer {
  url: string;
  /** The child's process id (to read its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `bench/servers/<script>` in a child Node process and waits for it to print
 * `LISTENING <url>` on stdout.
 */
export function startChild(script: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const path = fileURLToPath(new URL(`../servers/${script}`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /LISTENING (\S+)/.exec(buffer);
      if (!match) return;
      child.removeAllListeners('exit');
      resolve({
        url: match[1]!,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
