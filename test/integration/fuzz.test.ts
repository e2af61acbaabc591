import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerKind, describeCase, generateCases, ORIGINS, type AnswerKind, type FuzzCase, type Origin } from '../support/fuzz-inputs.js';

/**
 * Issue 14's fuzz suite: bad inputs for every route of every origin (test/support/fuzz-inputs.ts lists the routes and
 * makes the inputs), sent one at a time over real loopback HTTP to a Loginscope running as its own process, so a
 * request that kills the server shows as exactly that. Every answer must be below 500; a 4xx must have the error
 * shape of where it came from; after every request its origin, and after every batch all five, must still answer
 * /healthz. FUZZ_SEED=<n> replays a run; FUZZ_ONLY=<id,id,…> sends only those cases of it.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(1, 2 ** 31 - 1);
const ONLY = new Set((process.env.FUZZ_ONLY ?? '').split(',').filter(Boolean).map(Number));
/** Restarts after a crash: each is reported; past this many the rest of the run is not sent. */
const MAX_RESTARTS = process.env.FUZZ_MAX_RESTARTS ? Number(process.env.FUZZ_MAX_RESTARTS) : 3;
const RANDOM_PER_ROUTE = 12;
const BATCH = 100;
const REQUEST_TIMEOUT_MS = 5_000;
/** The whole run's limit (the vitest timeout is a little above it, so the report is always printed). */
const BUDGET_MS = 45_000 + MAX_RESTARTS * 5_000;
const BODY_KEEP = 64 * 1024;

if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

/** What starts Loginscope: the bundle `npm test` builds when it is newer than every backend source, else the sources. */
function launcher(): { command: string; args: string[]; what: string } {
  const bundle = path.join(root, 'out', 'loginscope.mjs');
  const newestSource = Math.max(
    ...readdirSync(path.join(root, 'backend'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => statSync(path.join(root, 'backend', f)).mtimeMs),
  );
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource) return { command: process.execPath, args: [bundle], what: 'out/loginscope.mjs' };
  return { command: process.execPath, args: ['--import', 'tsx', path.join(root, 'backend', 'cli.ts')], what: 'backend/cli.ts (tsx)' };
}

const pagesBuilt = existsSync(path.join(root, 'dist', 'renderer', 'store', 'index.html'));

interface Answer {
  status?: number;
  headers: Record<string, string>;
  body: Buffer;
  /** No answer: how the connection ended instead. */
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Loginscope as a child process
// ---------------------------------------------------------------------------------------------------------------

class Server {
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  apiKey = '';
  cookies: Record<'store' | 'forum', string> = { store: '', forum: '' };

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    readonly port: number,
    readonly token: string,
    private readonly log: { stderr: string },
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exit = { code: child.exitCode, signal: child.signalCode };
        return resolve();
      }
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  static async start(dataRoot: string): Promise<Server> {
    const dataDir = mkdtempSync(path.join(dataRoot, 'run-'));
    const { command, args } = launcher();
    const child = spawn(command, [...args, '--web', '--no-open', '--port', '0', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    const log = { stderr: '' };
    child.stderr!.on('data', (d: Buffer) => (log.stderr = (log.stderr + d.toString()).slice(-8000)));
    let timer: NodeJS.Timeout | undefined;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const ready = out.split('\n').find((l) => l.startsWith('Loginscope ready: '));
          if (ready) resolve(ready);
        });
        child.once('exit', (code) => reject(new Error(`Loginscope exited with ${code} before it was ready: ${log.stderr || out}`)));
        timer = setTimeout(() => reject(new Error(`Loginscope printed no ready line within 30 s: ${log.stderr || out}`)), 30_000);
      });
      const match = /^Loginscope ready: http:\/\/inspector\.localhost:(\d+)\/\?token=(\S+)$/.exec(line.trim());
      if (!match) throw new Error(`unexpected ready line: ${line}`);
      const server = new Server(child, dataDir, Number(match[1]), match[2]!, log);
      await server.prelude();
      return server;
    } catch (err) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The API key (for the identity server's API key routes) and a logged-in browser's cookies on each app. */
  private async prelude(): Promise<void> {
    const identity = await request(this.port, { method: 'GET', path: '/api/identity', headers: { host: this.host('inspector'), authorization: `Bearer ${this.token}` } });
    this.apiKey = (JSON.parse(identity.body.toString()) as { apiKey: string }).apiKey;
    for (const app of ['store', 'forum'] as const) {
      const body = JSON.stringify({ email: 'demo@example.com', password: 'demo-password' });
      const res = await request(this.port, { method: 'POST', path: '/api/login', headers: { host: this.host(app), 'content-type': 'application/json' } }, Buffer.from(body));
      const set = res.setCookies.map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
      this.cookies[app] = set.join('; ');
    }
  }

  host(origin: Origin): string {
    return `${origin}.localhost:${this.port}`;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  stderr(): string {
    return this.log.stderr;
  }

  /** Waits for the process to end (it is dying, or was told to); past `ms` it is killed. */
  async ended(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const result = await Promise.race([this.exited, bounded]);
    clearTimeout(timer);
    if (result === 'late') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  async stop(): Promise<void> {
    if (this.alive) {
      this.child.kill('SIGTERM');
      await this.ended(10_000);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------------------------

interface Sent extends Answer {
  setCookies: string[];
}

/** A well-formed request with node:http (health checks, set-up): a new connection each time, the whole answer read. */
function request(port: number, options: { method: string; path: string; headers: http.OutgoingHttpHeaders }, body?: Buffer): Promise<Sent> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Sent) => {
      if (settled) return;
      settled = true;
      resolve(a);
    };
    const req = http.request({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers, setHost: false, agent: false, timeout: REQUEST_TIMEOUT_MS, maxHeaderSize: 1024 * 1024 }, (res) => {
      const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      const raw = res.headers['set-cookie'];
      const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < BODY_KEEP) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        done({ status: res.statusCode, headers, body: Buffer.concat(chunks), setCookies });
        res.socket?.destroy();
      });
      res.on('error', (err) => done({ headers, body: Buffer.concat(chunks), setCookies, error: `answer ${res.statusCode} cut off: ${(err as NodeJS.ErrnoException).code ?? err.message}` }));
    });
    req.on('timeout', () => {
      done({ headers: {}, body: Buffer.alloc(0), setCookies: [], error: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` });
      req.destroy();
    });
    req.on('error', (err) => done({ headers: {}, body: Buffer.alloc(0), setCookies: [], error: (err as NodeJS.ErrnoException).code ?? err.message }));
    if (body) req.setHeader('content-length', String(body.length));
    req.end(body);
  });
}

/**
 * Bytes as they are, over a plain socket, and the answer parsed by hand as it arrives: unlike node:http's client, a
 * failed write (the server answered a huge request early and closed) does not hide an answer already received.
 */
function rawRequest(port: number, bytes: Buffer, head: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      clearTimeout(timer);
      const parsed = parseAnswer(Buffer.concat(chunks), head);
      resolve(parsed?.answer ?? { headers: {}, body: Buffer.alloc(0), error: error ?? (chunks.length ? 'unreadable answer' : 'connection closed without an answer') });
    };
    const timer = setTimeout(() => done(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (parseAnswer(Buffer.concat(chunks), head)?.complete) done();
    });
    socket.on('end', () => done());
    socket.on('close', () => done());
    socket.on('error', (err) => done((err as NodeJS.ErrnoException).code ?? err.message));
  });
}

/** The answer in `buf`, once its head is there; `complete` when its body is all there too (or never will be: an event stream). */
function parseAnswer(buf: Buffer, head: boolean): { answer: Answer; complete: boolean } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      headers[k] = headers[k] ? `${headers[k]}, ${line.slice(i + 1).trim()}` : line.slice(i + 1).trim();
    }
  }
  const code = Number(status[1]);
  let body = buf.subarray(end + 4);
  let complete = false;
  if (head || code === 204 || code === 304 || code < 200) {
    body = Buffer.alloc(0);
    complete = true;
  } else if (/^text\/event-stream/i.test(headers['content-type'] ?? '')) {
    body = Buffer.alloc(0);
    complete = true;
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    while (at < body.length) {
      const eol = body.indexOf('\r\n', at);
      if (eol < 0) break;
      const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
      if (!Number.isFinite(size)) break;
      if (size === 0) {
        complete = true;
        break;
      }
      parts.push(body.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    complete = body.length >= length;
    body = body.subarray(0, length);
  }
  return { answer: { status: code, headers, body: body.subarray(0, BODY_KEEP) }, complete };
}

/** Fills a case's placeholders for one running server. */
function resolver(server: Server, origin: Origin): (s: string) => string {
  const app = origin === 'forum' ? 'forum' : 'store';
  const values: Record<string, string> = {
    '{HOST}': server.host(origin),
    '{ORIGIN}': origin,
    '{PORT}': String(server.port),
    '{TOKEN}': server.token,
    '{API_KEY}': server.apiKey,
    '{COOKIES}': origin === 'store' || origin === 'forum' ? server.cookies[origin] : '',
    '{APP}': app,
  };
  return (s) => s.replace(/\{(HOST|ORIGIN|PORT|TOKEN|API_KEY|COOKIES|APP)\}/g, (m) => values[m]!);
}

/** Text as bytes: Latin-1 when it fits (so a case can hold any byte), else UTF-8. */
function bytesOf(text: string): Buffer {
  return /[^\u0000-\u00ff]/.test(text) ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
}

function chunkedBody(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 16 * 1024) {
    const part = body.subarray(at, at + 16 * 1024);
    parts.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** A case as the bytes that go on the wire: request line, its headers in order, Connection: close, the body. */
function wireBytes(server: Server, c: FuzzCase): Buffer {
  const fill = resolver(server, c.origin);
  if (c.raw !== undefined) return bytesOf(fill(c.raw));
  let body = c.body;
  if (body && body.includes('{PORT}')) body = Buffer.from(fill(body.toString('latin1')), 'latin1');
  const lines = [`${c.method} ${fill(c.target)} HTTP/1.1`, ...c.headers.map(([k, v]) => `${k}: ${fill(v)}`)];
  if (!c.headers.some(([k]) => k.toLowerCase() === 'connection')) lines.push('connection: close');
  if (body && c.chunked) lines.push('transfer-encoding: chunked');
  else if (body) lines.push(`content-length: ${body.length}`);
  const headBytes = bytesOf(`${lines.join('\r\n')}\r\n\r\n`);
  return body ? Buffer.concat([headBytes, c.chunked ? chunkedBody(body) : body]) : headBytes;
}

function send(server: Server, c: FuzzCase): Promise<Answer> {
  return rawRequest(server.port, wireBytes(server, c), c.method === 'HEAD' || /^HEAD /.test(c.raw ?? ''));
}

async function healthz(server: Server, origin: Origin): Promise<string | undefined> {
  if (!server.alive) return 'the process has exited';
  const res = await request(server.port, { method: 'GET', path: '/healthz', headers: { host: server.host(origin) } });
  if (res.status === 200) return undefined;
  return res.error ?? `answered ${res.status}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging an answer
// ---------------------------------------------------------------------------------------------------------------

/**
 * Node's own answer to a request its HTTP server refused before any origin saw it (parser errors, a header block over
 * its limit, HTTP/1.1 without Host): a bare status with no content type, no body and none of our headers.
 */
function isNodeRefusal(a: Answer): boolean {
  const bare = new Set(['connection', 'date', 'content-length', 'transfer-encoding', 'keep-alive']);
  return [400, 413, 414, 431].includes(a.status ?? 0) && a.body.length === 0 && Object.keys(a.headers).every((k) => bare.has(k));
}

/** The path the origin's app sees, for the answer rules: origin form as is, the absolute form's path, else none. */
function appPath(c: FuzzCase): string | undefined {
  const target = c.raw !== undefined ? (c.raw.split(/\r?\n/)[0]?.split(/ +/)[1] ?? '') : c.target;
  if (target.startsWith('/')) return target.split('?')[0]!;
  try {
    return new URL(target.replace(/\{[A-Z_]+\}/g, 'x')).pathname;
  } catch {
    return undefined;
  }
}

function json(a: Answer): unknown {
  try {
    return JSON.parse(a.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ours = (v: unknown) => isObject(v) && isObject(v.error) && typeof v.error.code === 'string' && typeof v.error.message === 'string';
const fusionAuthErrors = (v: unknown) => isObject(v) && (isObject(v.fieldErrors) || Array.isArray(v.generalErrors));
const oauthError = (v: unknown) => isObject(v) && typeof v.error === 'string' && (v.error_description === undefined || typeof v.error_description === 'string');

/** Why a 4xx answer does not have the shape its origin and path promise; undefined when it does. */
function shapeProblem(kind: AnswerKind, a: Answer, head: boolean): string | undefined {
  const type = a.headers['content-type'] ?? '';
  const isJson = /^application\/json/i.test(type);
  const isHtml = /^text\/html/i.test(type);
  if (head) return kind === 'api' && !isJson ? `a HEAD 4xx with content-type ${JSON.stringify(type)}, not JSON` : undefined;
  const body = json(a);
  switch (kind) {
    case 'api':
      return isJson && ours(body) ? undefined : 'not our JSON error { error: { code, message } }';
    case 'fusionauth':
      return a.body.length === 0 || (isJson && (fusionAuthErrors(body) || ours(body))) ? undefined : 'neither empty nor a FusionAuth Errors object (or ours)';
    case 'oauth':
      return isHtml || (isJson && (oauthError(body) || ours(body))) ? undefined : 'neither an OAuth error { error, error_description }, an HTML page nor ours';
    case 'page':
      return isHtml || (isJson && ours(body)) ? undefined : 'neither an HTML page nor our JSON error';
  }
}

function snippet(a: Answer): string {
  const text = a.body.toString('utf8').slice(0, 160);
  return `${a.headers['content-type'] ? `(${a.headers['content-type']}) ` : ''}${JSON.stringify(text)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------------

describe('fuzz: bad inputs for every route of every origin', () => {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'loginscope-fuzz-'));
  let server: Server | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('never answers 5xx, never drops a connection, answers 4xx in its error shape, and keeps answering', { timeout: BUDGET_MS + 15_000 }, async () => {
    const started = performance.now();
    const all = generateCases(SEED, { randomPerRoute: RANDOM_PER_ROUTE });
    const cases = ONLY.size ? all.filter((c) => ONLY.has(c.id)) : all;
    const failures: Array<{ id: number; what: string; line: string }> = [];
    const counts = { tried: 0, ok: 0, client: 0, server: 0, dropped: 0, notBuilt: 0, parser: 0 };
    let restarts = 0;
    let stoppedAt: string | undefined;
    server = await Server.start(dataRoot);
    const via = launcher().what;

    const fail = (c: FuzzCase | undefined, what: string, detail: string) =>
      failures.push({ id: c?.id ?? 0, what, line: `${c ? describeCase(c) : '(between requests)'}\n      ⇒ ${what}: ${detail}` });

    /** The server stopped answering: say after what, then start a fresh one (up to MAX_RESTARTS). */
    const died = async (c: FuzzCase | undefined, how: string): Promise<boolean> => {
      const s = server!;
      await s.ended(5_000);
      const exit = s.exit ? `exit code ${s.exit.code}${s.exit.signal ? `, signal ${s.exit.signal}` : ''}` : 'killed: it no longer answered';
      const stderr = s.stderr().trim().split('\n').slice(-4).join(' ⏎ ').slice(0, 600);
      fail(c, 'server died', `${how}; the process ended (${exit}); stderr: ${stderr || '(nothing)'}`);
      await s.stop();
      if (restarts >= MAX_RESTARTS) {
        server = undefined;
        return false;
      }
      restarts++;
      server = await Server.start(dataRoot);
      return true;
    };

    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      if (performance.now() - started > BUDGET_MS) {
        stoppedAt = `the time budget (${BUDGET_MS / 1000} s) ran out: ${cases.length - i} of ${cases.length} cases not tried`;
        break;
      }
      const answer = await send(server!, c);
      counts.tried++;
      const head = c.method === 'HEAD' || /^HEAD /.test(c.raw ?? '');
      if (answer.status === undefined) {
        counts.dropped++;
        fail(c, 'no answer', answer.error ?? 'connection dropped');
      } else if (answer.status >= 500) {
        if (answer.status === 503 && !pagesBuilt && /page is not built/.test(answer.body.toString())) counts.notBuilt++;
        else {
          counts.server++;
          fail(c, `answered ${answer.status}`, snippet(answer));
        }
      } else if (answer.status >= 400) {
        counts.client++;
        const p = appPath(c);
        if (isNodeRefusal(answer)) counts.parser++;
        else {
          const problem = shapeProblem(p === undefined ? 'api' : answerKind(c.origin, p), answer, head);
          if (problem) fail(c, `${answer.status} ${problem}`, snippet(answer));
        }
      } else counts.ok++;

      // Still there? After every request its own origin; after every batch every origin.
      const origins = (i + 1) % BATCH === 0 || i === cases.length - 1 ? ORIGINS : [c.origin];
      for (const origin of origins) {
        const problem = await healthz(server!, origin);
        if (problem) {
          if (!(await died(c, `after this request ${origin}.localhost/healthz got: ${problem}`))) {
            stoppedAt = `the server died ${restarts + 1} times (FUZZ_MAX_RESTARTS=${MAX_RESTARTS}): ${cases.length - i - 1} of ${cases.length} cases not tried`;
          }
          break;
        }
      }
      if (stoppedAt) break;
    }
    if (stoppedAt) fail(undefined, 'run cut short', stoppedAt);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: tried ${counts.tried}, 2xx/3xx ${counts.ok}, 4xx ${counts.client}, 5xx ${counts.server}` +
        ` (dropped ${counts.dropped}, failures ${failures.length}, server restarts ${restarts}; ${counts.parser} of the 4xx from Node's HTTP server itself` +
        `${counts.notBuilt ? `; ${counts.notBuilt} × 503 "page is not built" accepted: no dist/renderer` : ''}; seed ${SEED}, ${seconds} s, server from ${via})`,
    );

    const byWhat = new Map<string, number>();
    for (const f of failures) byWhat.set(f.what, (byWhat.get(f.what) ?? 0) + 1);
    const shown = failures.slice(0, 150).map((f) => `  ${f.line}`);
    const message =
      `${failures.length} failing inputs (replay: FUZZ_SEED=${SEED} FUZZ_ONLY=${[...new Set(failures.map((f) => f.id).filter(Boolean))].slice(0, 40).join(',')}):\n` +
      [...byWhat].map(([what, n]) => `  ${n} × ${what}`).join('\n') +
      `\n${shown.join('\n')}${failures.length > shown.length ? `\n  … and ${failures.length - shown.length} more` : ''}`;
    expect(failures.length, message).toBe(0);
  });
});
