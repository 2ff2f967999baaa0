import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from '../../../test/helpers/cli.js';
import { allLeads, useFixture } from '../../../test/helpers/server.js';

const fx = useFixture();

function lead(id: string, i: number) {
  return JSON.stringify({
    source_conversation_id: id,
    phone: `+1415556${String(i).padStart(4, '0')}`,
    user_language: 'en',
    category: 'healthcare',
    original_message: 'I need a caregiver',
    ai_extracted_details: {},
    user_consent: true,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 10,
  });
}

interface Piped {
  code: number | null;
  firstLine: string;
  stderr: string;
}

/**
 * Runs the built binary with stdout on a pipe whose reader goes away after the first line, as
 * `careos lead send ... | head -1` does. `feed` writes stdin (for `--file -`) and is told when the
 * first line arrived, so a test can decide what the CLI reads after the pipe closed.
 */
function runIntoClosedPipe(args: string[], cwd: string, feed?: (stdin: NodeJS.WritableStream, firstLineSeen: Promise<void>) => void): Promise<Piped> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CAREOS_CONFIG_DIR: tempDir('careos-config-'), NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let seen!: () => void;
  const firstLineSeen = new Promise<void>((resolve) => (seen = resolve));
  let firstLine = '';
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end >= 0 && firstLine === '') {
      firstLine = buffered.slice(0, end);
      // `head -1` exits: the read side of the pipe is gone.
      child.stdout.destroy();
      seen();
    }
  });
  if (feed) feed(child.stdin, firstLineSeen);
  else child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, firstLine, stderr })));
}

describe('careos lead send into a closed pipe', () => {
  it('`--file leads.jsonl | head -1` stops, exits 141 with the summary on stderr, and every unsent lead is in the failures file', async () => {
    const dir = tempDir();
    const file = join(dir, 'leads.jsonl');
    const lines = Array.from({ length: 60 }, (_, i) => lead(`pipe-file-${i}`, i));
    writeFileSync(file, `${lines.join('\n')}\n`);

    const result = await runIntoClosedPipe(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv, '--concurrency', '1'], dir);
    expect(result.code, result.stderr).toBe(141);
    expect(result.firstLine).toMatch(/^sent\t1\tpipe-file-0\tlead_/);
    expect(result.stderr).toContain('Summary  sent ');
    expect(result.stderr).toContain('Stopped early: the output was closed');
    expect(result.stderr).toContain(join(dir, 'leads.failed.jsonl'));

    // Nothing is lost and nothing is both: each line was sent, or is in the failures file.
    const sent = new Set((await allLeads(fx.ops)).map((l) => l.source_conversation_id).filter((id) => id.startsWith('pipe-file-')));
    const unsent = readFileSync(join(dir, 'leads.failed.jsonl'), 'utf8').trim().split('\n');
    expect(unsent.length).toBeGreaterThan(0);
    for (const raw of unsent) expect(sent.has(JSON.parse(raw).source_conversation_id)).toBe(false);
    expect(sent.size + unsent.length).toBe(lines.length);
    expect(new Set([...sent, ...unsent.map((raw) => JSON.parse(raw).source_conversation_id)]).size).toBe(lines.length);
    expect(result.stderr).toMatch(new RegExp(`not sent ${unsent.length}`));

    // Sending the failures file resumes the run: everything is in CareOS exactly once.
    const resume = await runCli(['lead', 'send', '--file', join(dir, 'leads.failed.jsonl'), '--env-file', fx.partnerEnv]);
    expect(resume.code, resume.stderr).toBe(0);
    expect((await allLeads(fx.ops)).filter((l) => l.source_conversation_id.startsWith('pipe-file-'))).toHaveLength(lines.length);
  });

  it('`--file -`: leads read after the pipe closed are not sent but written, verbatim, to the failures file', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 6 }, (_, i) => lead(`pipe-stdin-${i}`, 100 + i));
    const result = await runIntoClosedPipe(['lead', 'send', '--file', '-', '--env-file', fx.partnerEnv, '--concurrency', '1', '--json'], dir, (stdin, firstLineSeen) => {
      stdin.write(`${lines[0]}\n`);
      void firstLineSeen.then(() => stdin.end(`${lines.slice(1).join('\n')}\n`));
    });
    expect(result.code, result.stderr).toBe(141);
    expect(JSON.parse(result.firstLine)).toMatchObject({ type: 'lead', line: 1, status: 'sent', source_conversation_id: 'pipe-stdin-0' });
    const sent = (await allLeads(fx.ops)).map((l) => l.source_conversation_id).filter((id) => id.startsWith('pipe-stdin-'));
    const unsent = readFileSync(join(dir, 'stdin.failed.jsonl'), 'utf8').trim().split('\n');
    // The CLI learns of the closed pipe on its next write, after the second lead: lines 3-6 are never sent.
    expect(sent.sort()).toEqual(['pipe-stdin-0', 'pipe-stdin-1']);
    expect(unsent).toEqual(lines.slice(2));
    expect(result.stderr).toContain('Summary  sent 2  replayed 0  failed 0  not sent 4');
  });
});

describe('careos lead send when CareOS rate-limits', () => {
  let proxy: Server;
  let proxyUrl: string;
  let limited = 0;
  beforeAll(async () => {
    // The real server, behind a proxy that answers the first lead with the 429 CareOS sends when the
    // partner's budget is spent (a short Retry-After keeps the test quick).
    const target = new URL(fx.server.url);
    proxy = createServer((req, res) => {
      if (req.url === '/api/leads/ingest' && limited === 0) {
        limited++;
        req.resume();
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'x-request-id': 'req_limited' });
        res.end(JSON.stringify({ error: 'Rate limit exceeded', code: 'RATE_LIMITED', retryAfter: 1, request_id: 'req_limited' }));
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it('says it is waiting and when it resumes, on its own stderr line when piped, then sends the lead', async () => {
    const dir = tempDir();
    const file = join(dir, 'limited.jsonl');
    writeFileSync(file, `${lead('rate-limited-1', 900)}\n`);
    const result = await runCli(['lead', 'send', '--file', file, '--env-file', fx.partnerEnv, '--api-url', proxyUrl]);
    expect(result.code, result.stderr).toBe(0);
    expect(limited).toBe(1);
    expect(result.stderr).toContain('careos: rate limited by CareOS (429); resuming in 1 s');
    expect(result.stdout).toMatch(/^sent\t1\trate-limited-1\tlead_/);
  });
});
