import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { CLI_BIN, tempDir } from './cli.js';

/** A running `careos webhooks listen` child process. */
export interface Listener {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  stderr(): string;
  /** The first stdout line(s) printed once listening: the JSON object (with --json) or the text. */
  started: string;
  /** The registered URL, as printed. */
  url: string;
  /** Resolves with the first stdout line (already printed or to come) that `match` accepts. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns the built `careos webhooks listen …args` with a clean environment (as `runCli` does)
 * and resolves once it prints where it listens; rejects with its output if it exits first.
 */
export function startListener(args: readonly string[], env: Record<string, string> = {}): Promise<Listener> {
  const child = spawn(process.execPath, [CLI_BIN, 'webhooks', 'listen', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), CAREOS_CONFIG_DIR: tempDir('careos-config-'), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const waitForLine = (match: (line: string) => boolean, timeoutMs = 15_000) => {
    const found = lines.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
      waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  };

  const isStart = (line: string) => line.includes('"kind":"listening"') || line.startsWith('Listening on ');
  return Promise.race([
    waitForLine(isStart, 30_000),
    exited.then((code) => Promise.reject(new Error(`listen exited ${code} before listening; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`))),
  ]).then((started) => ({
    child,
    lines,
    stderr: () => stderr,
    started,
    url: started.startsWith('{') ? (JSON.parse(started) as { url: string }).url : started.slice('Listening on '.length).trim(),
    waitForLine,
    stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  }));
}

/** Runs `careos webhooks listen …args` expecting it to fail before listening; resolves with its exit code and output. */
export function listenFailure(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, 'webhooks', 'listen', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), CAREOS_CONFIG_DIR: tempDir('careos-config-'), NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A listener that did start would run forever: give it a bound, and say so in the result.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
