import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { type DocBlock, marker } from './parse.js';

/** What a finished block printed and how it ended. */
export interface BlockResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Values of `<!-- doc-test: env <group> -->`, read from the demo server's credentials file. */
const ENV_GROUPS: Record<string, (c: DemoCredentials) => Record<string, string>> = {
  partner: (c) => ({
    CAREOS_API_KEY: c.partner.apiKey,
    CAREOS_PLATFORM: c.partner.platform,
    CAREOS_PUBLIC_KEY: c.partner.publicKeyPem,
    PHONE_HASH_SALT: c.partner.phoneHashSalt,
  }),
  admin: (c) => ({ CAREOS_ADMIN_EMAIL: c.admin.email, CAREOS_ADMIN_PASSWORD: c.admin.password }),
  integration: (c) => ({
    CAREOS_INTEGRATION_API_KEY: c.integration.apiKey,
    CAREOS_INTEGRATION_API_SECRET: c.integration.apiSecret,
    CAREOS_THERAPIST_ID: c.integration.therapistId,
  }),
  lookup: (c) => ({ CAREOS_LOOKUP_API_KEY: c.lookup.apiKey }),
};

interface DemoCredentials {
  partner: { apiKey: string; platform: string; publicKeyPem: string; phoneHashSalt: string };
  admin: { email: string; password: string };
  integration: { apiKey: string; apiSecret: string; therapistId: string };
  lookup: { apiKey: string };
}

/** Where a document names a local port: `127.0.0.1:8000`, `localhost:8000`, `--port 8000`. */
const LOCAL_PORT = /\b(127\.0\.0\.1|localhost):(\d{2,5})\b|--port[ =](\d{2,5})\b/g;
/** The port `careos server start` listens on when the command names none. */
const SERVER_DEFAULT_PORT = 8000;

/** A free TCP port on 127.0.0.1 (the OS picks it; the socket is closed again at once). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One document's terminal: a fresh working directory, a bash session whose exported variables
 * and current directory carry from one block to the next, a free port standing in for 8000, and
 * the servers its blocks started (stopped by {@link DocSession.close}).
 */
export class DocSession {
  readonly dir: string;
  private readonly state: string;
  private readonly servers: { child: ChildProcess; output: () => string }[] = [];

  private constructor(
    /** The free port standing in for each port the document names (8000 always among them). */
    private readonly ports: Map<number, number>,
    shimDir: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'careos-doc-'));
    this.state = mkdtempSync(join(tmpdir(), 'careos-doc-state-'));
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      // The reader's shell has none of the test run's settings: no PostgreSQL or Redis of the
      // test suite, no CareOS credentials, no npm settings pnpm exported.
      if (value === undefined || /^(CAREOS_|npm_|PNPM_|VITEST|DATABASE_URL$|REDIS_URL$|PHONE_HASH_SALT$|NODE_OPTIONS$)/.test(name)) continue;
      env[name] = value;
    }
    Object.assign(env, {
      PATH: [shimDir, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
      DOC_TEST_PORT: String(this.port),
      CAREOS_CONFIG_DIR: join(this.dir, '.careos-config'),
      CAREOS_CREDENTIAL_STORE: 'file',
      NO_COLOR: '1',
    });
    writeFileSync(join(this.state, 'env.sh'), Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n') + '\n');
    writeFileSync(join(this.state, 'cwd'), this.dir);
  }

  /**
   * A session for the document `text`, with a free port for every local port it names, its
   * `careos` and `npm` resolved through the shims in `shimDir`.
   */
  static async create(shimDir: string, text: string, options: { copyOf?: string } = {}): Promise<DocSession> {
    const ports = new Map<number, number>([[SERVER_DEFAULT_PORT, await freePort()]]);
    for (const m of text.matchAll(LOCAL_PORT)) {
      const named = Number(m[2] ?? m[3]);
      if (named !== 0 && !ports.has(named)) ports.set(named, await freePort());
    }
    const session = new DocSession(ports, shimDir);
    if (options.copyOf) session.copyFolder(options.copyOf);
    return session;
  }

  /**
   * Starts the session in a copy of `folder` (an example's README is read from inside the
   * example), its installed `node_modules` linked rather than copied.
   */
  private copyFolder(folder: string): void {
    cpSync(folder, this.dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.careos|dist)$/.test(src) });
    if (existsSync(join(folder, 'node_modules'))) symlinkSync(join(folder, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
  }

  /** The free port standing in for the server's default port 8000. */
  get port(): number {
    return this.ports.get(SERVER_DEFAULT_PORT)!;
  }

  /** The block's text as it runs here: each local port the document names is a free one. */
  localise(text: string): string {
    return text.replace(LOCAL_PORT, (all, host: string | undefined, hostPort: string | undefined, flagPort: string | undefined) => {
      const mapped = this.ports.get(Number(hostPort ?? flagPort));
      if (mapped === undefined) return all;
      return host ? `${host}:${mapped}` : all.replace(/\d+$/, String(mapped));
    });
  }

  /** The port a server block listens on: its `--port`, else the default's stand-in. */
  private serverPort(code: string): number {
    const flag = /--port[ =](\d+)/.exec(code);
    return flag ? Number(flag[1]) : this.port;
  }

  /** Exports `<!-- doc-test: env … -->` values (groups from the demo credentials, or NAME=value). */
  applyEnv(args: string): void {
    const exports: Record<string, string> = {};
    for (const token of args.split(/\s+/).filter(Boolean)) {
      const eq = token.indexOf('=');
      if (eq > 0) {
        exports[token.slice(0, eq)] = this.localise(token.slice(eq + 1));
        continue;
      }
      const group = ENV_GROUPS[token];
      if (!group) throw new Error(`doc-test: env: unknown group "${token}" (one of ${Object.keys(ENV_GROUPS).join(', ')}, or NAME=value)`);
      const creds = JSON.parse(readFileSync(join(this.cwd(), '.careos', 'data', 'demo-credentials.json'), 'utf8')) as DemoCredentials;
      Object.assign(exports, { CAREOS_API_URL: `http://127.0.0.1:${this.port}` }, group(creds));
    }
    appendFileSync(join(this.state, 'env.sh'), Object.entries(exports).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n') + '\n');
  }

  private cwd(): string {
    return readFileSync(join(this.state, 'cwd'), 'utf8').trim();
  }

  /** Bash source running `code` in the session: previous exports and directory in, new ones out. */
  private script(code: string, keepState: boolean): string {
    const s = this.state;
    return [
      `cd "$(cat '${s}/cwd')"`,
      // A reader's shell has none of the test run's own settings (its PostgreSQL, its Redis).
      'unset DATABASE_URL REDIS_URL',
      `source '${s}/env.sh'`,
      keepState ? `trap 'pwd > "${s}/cwd"; export -p > "${s}/env.sh"' EXIT` : '',
      'set -eo pipefail',
      code,
    ].join('\n');
  }

  /** Writes a module block to `name` in the current directory (the doc says to save it there). */
  saveFile(name: string, code: string): void {
    writeFileSync(join(this.cwd(), name), this.localise(code));
  }

  /** Runs a block: shell blocks in bash, module blocks saved as `doc-test-L<line>.mts|mjs` and run with node. */
  run(block: DocBlock, timeoutMs: number): Promise<BlockResult> {
    let code = this.localise(block.code);
    if (block.kind === 'module') {
      const ext = /^(js|javascript|mjs)$/.test(block.lang) ? 'mjs' : 'mts';
      const file = `doc-test-L${block.line}.${ext}`;
      writeFileSync(join(this.cwd(), file), code);
      code = `node ${file}`;
    }
    return new Promise((resolveRun) => {
      const child = spawn('bash', ['-c', this.script(code, true)], { cwd: this.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d));
      child.stderr.on('data', (d: Buffer) => (output += d));
      const timer = setTimeout(() => {
        output += `\n[doc-test] timed out after ${timeoutMs / 1000} s`;
        process.kill(-child.pid!, 'SIGKILL');
      }, timeoutMs);
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        resolveRun({ code: exitCode, signal, output });
      });
    });
  }

  /**
   * Starts a block that runs a server (`careos server start …`) in the background, and resolves
   * once the session's port answers `/health`; the server runs until {@link close}. With
   * `replace`, the document's servers are stopped first, as a reader stops the one running
   * (Ctrl-C) before starting another on the same port.
   */
  async startServer(code: string, timeoutMs = 60_000, options: { replace?: boolean } = {}): Promise<void> {
    if (options.replace) await this.stopServers();
    const local = this.localise(code);
    const port = this.serverPort(local);
    const child = spawn('bash', ['-c', this.script(local, false)], { cwd: this.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    let exited: number | null | undefined;
    child.on('exit', (c) => (exited = c));
    this.servers.push({ child, output: () => output });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited !== undefined) throw new Error(`the server exited (${exited}) before answering:\n${output.slice(-3000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no server answered on port ${port} within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
  }

  /** Stops the servers (SIGTERM, then SIGKILL after 10 s) and removes the working directory. */
  async close(): Promise<void> {
    await this.stopServers();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.state, { recursive: true, force: true });
  }

  /** Stops the servers the document started (SIGTERM, then SIGKILL after 10 s). */
  private async stopServers(): Promise<void> {
    await Promise.all(
      this.servers.splice(0).map(
        ({ child }) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
            child.on('exit', () => {
              clearTimeout(kill);
              done();
            });
            try {
              process.kill(-child.pid!, 'SIGTERM');
            } catch {
              done();
            }
          }),
      ),
    );
  }

  /** What `block` must exit with: `<!-- doc-test: exit N -->`, else 0. */
  static expectedExit(block: DocBlock): number {
    return Number(marker(block, 'exit')?.args ?? 0);
  }
}
