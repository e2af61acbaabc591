/**
 * `npm run bench`: Loginscope's performance against what a user would pick instead, side by side in one run.
 * Every server under test runs in its own child process; this process only drives load and keeps time.
 * Writes test/bench/RESULTS.md and prints the same table. Numbers are measured, never asserted.
 */
import autocannon from 'autocannon';
import { build } from 'esbuild';
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { PASSWORD_FACTOR } from '../../backend/idp/passwords.js';
import { Browser } from '../support/http.js';
import { cpuMs, machine, median, percentile, rssMb, spawnUntil, stopChild, type Spawned } from './lib.js';
import { DEMO, Inspector, nativeRefreshWalk, urlsOf, type Target } from './walk.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
/** What `npm start` runs (after its build). */
const cli = path.join(root, 'out', 'loginscope.mjs');
const anchorSource = path.join(here, 'anchor-server.ts');
/** The anchors run as plain JS (bundled by esbuild, packages external), so no TS loader sits in their process or their RSS. */
const anchorScript = path.join(here, '.build', 'anchor-server.mjs');
const node = process.execPath;
const anchorsDir = path.join(here, 'anchors');

/**
 * connect-sqlite3 lives in test/bench/anchors, installed on the first bench run: its native sqlite3 has no prebuilt
 * binary reachable here and builds from source (minutes), which `npm install` should not cost every newcomer.
 * If it cannot be installed, its rows say so and the rest of the bench runs.
 */
function ensureAnchorPackages(): void {
  if (existsSync(path.join(anchorsDir, 'node_modules', 'connect-sqlite3'))) return;
  log('installing connect-sqlite3 into test/bench/anchors (first run only; sqlite3 may build from source)');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', anchorsDir], { stdio: 'inherit' });
  if (npm.status !== 0) log(`connect-sqlite3 could not be installed (npm exited ${npm.status}); its anchor will be reported as not run`);
}

/** BENCH_QUICK=1: a smoke run of the bench itself (short runs, few samples); its numbers are not results. */
const QUICK = process.env.BENCH_QUICK === '1';
const CONNECTIONS = 50;
const WARMUP_S = QUICK ? 1 : 2;
/** Per round; each throughput row is the mean of two rounds. */
const DURATION_S = QUICK ? 2 : 5;
const LOGINS = QUICK ? 20 : 200;
const STARTS = QUICK ? 2 : 5;
const SESSIONS = QUICK ? 1000 : 10_000;
const READY = /^Loginscope ready: http:\/\/inspector\.localhost:(\d+)\/\?token=(\S+)/;
const ANCHOR_READY = /^anchor ready (\d+)/;

const benchStarted = performance.now();
const log = (msg: string) => console.log(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tmpDirs: string[] = [];
const tmp = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
};

// ---------------------------------------------------------------------------------------------- servers

interface Running {
  spawned: Spawned;
  target: Target;
  dataDir: string;
}

async function startLoginscopeCli(dataDir: string): Promise<Running> {
  const spawned = await spawnUntil(node, [cli, '--web', '--no-open', '--port', '0', '--data-dir', dataDir], READY, { cwd: root });
  return { spawned, target: { port: Number(spawned.match[1]), token: spawned.match[2]! }, dataDir };
}

type AnchorMode = 'bare' | 'memory' | 'sqlite3';
async function startAnchor(mode: AnchorMode): Promise<{ spawned: Spawned; port: number }> {
  const spawned = await spawnUntil(node, [anchorScript, mode], ANCHOR_READY, { cwd: root });
  return { spawned, port: Number(spawned.match[1]) };
}

/** Logs in like the browser does and returns the Cookie header the browser would send to the store's API. */
async function loginOnce(t: Target): Promise<{ cookie: string; browser: Browser }> {
  const browser = new Browser();
  const res = await browser.fetch(`${urlsOf(t.port).store}/api/login`, { json: DEMO });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
  return { cookie: await browser.jar.getCookieString(`${urlsOf(t.port).store}/api/cart`), browser };
}

/** The session payload our store holds after a real login (minus express-session's cookie), for the anchors. */
function ourSessionPayload(dataDir: string): Record<string, unknown> {
  const db = new Database(path.join(dataDir, 'app.db'), { readonly: true });
  try {
    const row = db.prepare(`SELECT data FROM sessions WHERE app = 'store' AND ended_at IS NULL ORDER BY created_at DESC LIMIT 1`).get() as { data: string } | undefined;
    if (!row) throw new Error('no live store session found after login');
    const { cookie: _cookie, ...payload } = JSON.parse(row.data) as Record<string, unknown>;
    return payload;
  } finally {
    db.close();
  }
}

async function anchorLogin(port: number, payload: Record<string, unknown>): Promise<string> {
  const res = await request(`http://127.0.0.1:${port}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: payload }) });
  await res.body.text();
  const raw = res.headers['set-cookie'];
  const line = Array.isArray(raw) ? raw[0] : raw;
  if (res.statusCode !== 200 || !line) throw new Error(`anchor login answered ${res.statusCode}`);
  return line.split(';')[0]!;
}

async function getText(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await request(url, { headers });
  return { status: res.statusCode, text: await res.body.text() };
}

// ---------------------------------------------------------------------------------------------- measures

interface Throughput {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server process CPU (user + system) per request, in µs: far less sensitive than req/s to other load on a shared machine. */
  cpuUsPerReq: number;
  error?: string;
}

interface HammerTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid: number;
}

async function hammerOnce(t: HammerTarget, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: t.url, connections: CONNECTIONS, headers: t.headers, duration: seconds });
}

/**
 * Every server is started and checked first, then hammered in two rounds in mirrored order (A B C D, then D C B A),
 * so load from other work on a shared machine falls on every row alike; each row is the mean of its two rounds.
 */
async function measureThroughput(ours: HammerTarget, expectedCart: { text: string }, payload: Record<string, unknown>): Promise<{ results: Throughput[]; rounds: Record<string, number[]> }> {
  const labels: Record<AnchorMode, string> = {
    bare: 'bare Express 5, no session (ceiling)',
    memory: 'express-session + MemoryStore',
    sqlite3: 'express-session + connect-sqlite3',
  };
  const targets: HammerTarget[] = [ours];
  const failed: Throughput[] = [];
  const children: Spawned[] = [];
  try {
    for (const mode of ['bare', 'memory', 'sqlite3'] as const) {
      try {
        const anchor = await startAnchor(mode);
        children.push(anchor.spawned);
        const cookie = mode === 'bare' ? undefined : await anchorLogin(anchor.port, payload);
        const url = `http://127.0.0.1:${anchor.port}/api/cart`;
        const headers: Record<string, string> = cookie ? { cookie } : {};
        const check = await getText(url, headers);
        if (check.status !== 200 || check.text !== expectedCart.text) throw new Error(`answered a different cart (${check.status}): ${check.text.slice(0, 120)}`);
        log(`${labels[mode]}: same cart JSON as ours (${check.text.length} bytes)`);
        targets.push({ name: labels[mode], url, headers, pid: anchor.spawned.child.pid! });
      } catch (err) {
        const msg = (err as Error).message.split('\n')[0]!;
        log(`${labels[mode]}: not run: ${msg}`);
        failed.push({ name: labels[mode], reqPerSec: NaN, p50: NaN, p99: NaN, requests: 0, non2xx: 0, errors: 0, cpuUsPerReq: NaN, error: msg });
      }
    }
    for (const t of targets) await hammerOnce(t, WARMUP_S);
    const runs = new Map<string, autocannon.Result[]>(targets.map((t) => [t.name, []]));
    const cpu = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (const [round, order] of [targets, [...targets].reverse()].entries()) {
      for (const t of order) {
        const cpuBefore = cpuMs(t.pid);
        const r = await hammerOnce(t, DURATION_S);
        const usPerReq = ((cpuMs(t.pid) - cpuBefore) * 1000) / r.requests.total;
        runs.get(t.name)!.push(r);
        cpu.get(t.name)!.push(usPerReq);
        log(`round ${round + 1} ${t.name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${usPerReq.toFixed(0)} µs CPU/req`);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const results = targets.map((t): Throughput => {
      const rs = runs.get(t.name)!;
      return {
        name: t.name,
        reqPerSec: mean(rs.map((r) => r.requests.average)),
        p50: mean(rs.map((r) => r.latency.p50)),
        p99: mean(rs.map((r) => r.latency.p99)),
        requests: rs.reduce((a, r) => a + r.requests.total, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        cpuUsPerReq: mean(cpu.get(t.name)!),
      };
    });
    const rounds = Object.fromEntries(targets.map((t) => [t.name, runs.get(t.name)!.map((r) => r.requests.average)]));
    return { results: [...results, ...failed], rounds };
  } finally {
    for (const child of children) await stopChild(child.child);
  }
}

const pbkdf2Async = promisify(pbkdf2);
async function pbkdf2Floor(runs = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    await pbkdf2Async('demo-password', Buffer.alloc(32, 7), PASSWORD_FACTOR, 32, 'sha256');
    if (i >= 3) times.push(performance.now() - t0);
  }
  return median(times);
}

async function measureLogins(t: Target): Promise<number[]> {
  const url = `${urlsOf(t.port).store}/api/login`;
  const times: number[] = [];
  for (let i = 0; i < LOGINS + 5; i++) {
    const browser = new Browser();
    const t0 = performance.now();
    const res = await browser.fetch(url, { json: DEMO });
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`login ${i} answered ${res.status}`);
    if (i >= 5) times.push(ms);
  }
  return times;
}

/** Creates `SESSIONS` sessions over HTTP with autocannon and returns how many requests answered 2xx. */
async function createSessions(url: string, options: { method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<number> {
  const r = await autocannon({ url, connections: 20, amount: SESSIONS, method: options.method ?? 'GET', headers: options.headers, ...(options.body !== undefined && { body: options.body }) });
  return r['2xx'];
}

interface RssResult {
  name: string;
  baselineMb: number;
  afterMb: number;
  created: number;
  seconds: number;
  note?: string;
}

async function measureRssOurs(): Promise<RssResult> {
  const running = await startLoginscopeCli(tmp('loginscope-bench-rss-'));
  try {
    const baselineMb = rssMb(running.spawned.child.pid!);
    // One real login for a refresh token; then each request that carries only the refresh-token cookie
    // makes the backend refresh at the identity server and start a new session (seed steps 14–18).
    const { browser } = await loginOnce(running.target);
    const store = urlsOf(running.target.port).store;
    const refresh = (await browser.cookies(store)).find((c) => c.key === 'store_refresh_token');
    if (!refresh) throw new Error('no refresh-token cookie after login');
    const t0 = performance.now();
    const ok = await createSessions(`http://127.0.0.1:${running.target.port}/api/cart`, {
      headers: { host: `store.localhost:${running.target.port}`, cookie: `store_refresh_token=${refresh.value}` },
    });
    const seconds = (performance.now() - t0) / 1000;
    const afterMb = rssMb(running.spawned.child.pid!);
    const state = (await new Inspector(running.target).call('GET', '/state')).json<{ sessions: { store: Array<{ status: string }> } }>();
    const live = state.sessions.store.filter((s) => s.status === 'active').length;
    return { name: 'Loginscope (SqliteSessionStore)', baselineMb, afterMb, created: live, seconds, note: `${ok} refresh requests answered 2xx; ${live} live store sessions` };
  } finally {
    await stopChild(running.spawned.child);
  }
}

async function measureRssAnchor(mode: 'memory' | 'sqlite3', name: string, payload: Record<string, unknown>): Promise<RssResult> {
  const anchor = await startAnchor(mode);
  try {
    const baselineMb = rssMb(anchor.spawned.child.pid!);
    const t0 = performance.now();
    const ok = await createSessions(`http://127.0.0.1:${anchor.port}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: payload }),
    });
    const seconds = (performance.now() - t0) / 1000;
    return { name, baselineMb, afterMb: rssMb(anchor.spawned.child.pid!), created: ok, seconds };
  } finally {
    await stopChild(anchor.spawned.child);
  }
}

async function bareExpressStart(): Promise<number> {
  const code = `import express from 'express'; const app = express(); app.get('/', (_q, r) => { r.json({ ok: true }); });
const s = app.listen(0, '127.0.0.1', () => console.log('anchor ready ' + s.address().port)); process.on('SIGTERM', () => process.exit(0));`;
  const spawned = await spawnUntil(node, ['--input-type=module', '-e', code], ANCHOR_READY, { cwd: root });
  await stopChild(spawned.child);
  return spawned.readyMs;
}

// ---------------------------------------------------------------------------------------------- report

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

interface Row {
  measure: string;
  ours: string;
  anchor: string;
  anchorValue: string;
  ratio: string;
  target: string;
  status: string;
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '—' : met ? 'met' : 'missed';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  ensureAnchorPackages();
  await build({ entryPoints: [anchorSource], outfile: anchorScript, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node22', logLevel: 'warning' });
  const m = machine();
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  let commit = 'unknown';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'backend', 'renderer', 'main'], { cwd: root }).toString().trim() !== '';
    commit = `${head}${dirty ? ' + uncommitted changes in backend/renderer/main' : ''}`;
  } catch {
    // not a git checkout
  }
  log(`${m.cores} cores, ${m.cpu}, Node ${m.node}, load average ${loadBefore}`);
  const errors: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      const msg = `${what} failed: ${(err as Error).message.split('\n')[0]}`;
      log(msg);
      errors.push(msg);
      return undefined;
    }
  };

  // 1. Login latency and session throughput on one Loginscope process.
  log('pbkdf2 floor…');
  const pbkdf2Ms = await pbkdf2Floor();
  log(`one PBKDF2-HMAC-SHA256 at ${PASSWORD_FACTOR} iterations: ${pbkdf2Ms.toFixed(1)} ms`);

  const primary = await startLoginscopeCli(tmp('loginscope-bench-main-'));
  let loginTimes: number[] | undefined;
  let throughput: Throughput[] | undefined;
  let rounds: Record<string, number[]> = {};
  try {
    log(`Loginscope on port ${primary.target.port}; ${LOGINS} logins…`);
    loginTimes = await attempt('login latency', () => measureLogins(primary.target));
    if (loginTimes) log(`login median ${median(loginTimes).toFixed(1)} ms, p95 ${percentile(loginTimes, 95).toFixed(1)} ms`);

    const measured = await attempt('session throughput', async () => {
      const { cookie } = await loginOnce(primary.target);
      const payload = ourSessionPayload(primary.dataDir);
      const url = `http://127.0.0.1:${primary.target.port}/api/cart`;
      const headers = { host: `store.localhost:${primary.target.port}`, cookie };
      const cart = await getText(url, headers);
      if (cart.status !== 200) throw new Error(`our /api/cart answered ${cart.status}`);
      return measureThroughput({ name: 'Loginscope (SqliteSessionStore)', url, headers, pid: primary.spawned.child.pid! }, cart, payload);
    });
    throughput = measured?.results;
    rounds = measured?.rounds ?? {};
  } finally {
    await stopChild(primary.spawned.child);
  }

  // 2. Cold start (fresh data dir), each followed by one full walk on that fresh process; then restarts.
  const freshStarts: number[] = [];
  const restarts: number[] = [];
  const walks: number[] = [];
  const bareStarts: number[] = [];
  let reusedDir: string | undefined;
  await attempt('cold start and walk', async () => {
    for (let i = 0; i < STARTS; i++) {
      const dir = tmp('loginscope-bench-start-');
      reusedDir ??= dir;
      const running = await startLoginscopeCli(dir);
      freshStarts.push(running.spawned.readyMs);
      try {
        walks.push(await nativeRefreshWalk(running.target));
      } finally {
        await stopChild(running.spawned.child);
      }
    }
    log(`cold start (fresh dir) median ${median(freshStarts).toFixed(0)} ms; walk median ${median(walks).toFixed(0)} ms`);
    for (let i = 0; i < STARTS; i++) {
      const running = await startLoginscopeCli(reusedDir!);
      restarts.push(running.spawned.readyMs);
      await stopChild(running.spawned.child);
    }
    log(`restart (existing dir) median ${median(restarts).toFixed(0)} ms`);
    for (let i = 0; i < STARTS; i++) bareStarts.push(await bareExpressStart());
    log(`bare Express 5 process start median ${median(bareStarts).toFixed(0)} ms`);
  });

  // 3. RSS after 10,000 sessions, each server in its own fresh process.
  let payload: Record<string, unknown> | undefined;
  const rss: RssResult[] = [];
  await attempt('RSS', async () => {
    const ours = await measureRssOurs();
    rss.push(ours);
    log(`Loginscope RSS ${ours.baselineMb.toFixed(0)} → ${ours.afterMb.toFixed(0)} MB (${ours.note}, ${ours.seconds.toFixed(1)} s)`);
    // A fresh process for the anchors' payload: the exact session row a real login leaves.
    const donor = await startLoginscopeCli(tmp('loginscope-bench-donor-'));
    try {
      await loginOnce(donor.target);
      payload = ourSessionPayload(donor.dataDir);
    } finally {
      await stopChild(donor.spawned.child);
    }
    for (const [mode, name] of [
      ['memory', 'express-session + MemoryStore'],
      ['sqlite3', 'express-session + connect-sqlite3'],
    ] as const) {
      const r = await attempt(`RSS ${name}`, () => measureRssAnchor(mode, name, payload!));
      if (r) {
        rss.push(r);
        log(`${name} RSS ${r.baselineMb.toFixed(0)} → ${r.afterMb.toFixed(0)} MB (${r.created} sessions, ${r.seconds.toFixed(1)} s)`);
      }
    }
  });

  // ------------------------------------------------------------------------------------------ tables
  const tp = (name: string) => throughput?.find((t) => t.name.startsWith(name));
  const ours = tp('Loginscope');
  const bare = tp('bare');
  const mem = tp('express-session + MemoryStore');
  const sq3 = tp('express-session + connect-sqlite3');
  const loginMed = loginTimes ? median(loginTimes) : NaN;
  const loginP95 = loginTimes ? percentile(loginTimes, 95) : NaN;
  const fresh = freshStarts.length ? median(freshStarts) : NaN;
  const restart = restarts.length ? median(restarts) : NaN;
  const bareStart = bareStarts.length ? median(bareStarts) : NaN;
  const walk = walks.length ? median(walks) : NaN;
  const rssOurs = rss.find((r) => r.name.startsWith('Loginscope'));
  const rssMem = rss.find((r) => r.name.includes('MemoryStore'));
  const WALK_LOGINS = 4;

  const rows: Row[] = [
    { measure: 'Cart req/s vs ceiling', ours: fmt(ours?.reqPerSec ?? NaN), anchor: 'bare Express 5, no session', anchorValue: fmt(bare?.reqPerSec ?? NaN), ratio: ratio(ours?.reqPerSec ?? NaN, bare?.reqPerSec ?? NaN), target: '— (ceiling)', status: '—' },
    {
      measure: 'Cart req/s vs MemoryStore',
      ours: fmt(ours?.reqPerSec ?? NaN),
      anchor: 'express-session + MemoryStore',
      anchorValue: fmt(mem?.reqPerSec ?? NaN),
      ratio: ratio(ours?.reqPerSec ?? NaN, mem?.reqPerSec ?? NaN),
      target: '≥ 1.0×',
      status: verdict(ours && mem && Number.isFinite(mem.reqPerSec) ? ours.reqPerSec / mem.reqPerSec >= 1 : undefined),
    },
    {
      measure: 'Cart req/s vs connect-sqlite3',
      ours: fmt(ours?.reqPerSec ?? NaN),
      anchor: 'express-session + connect-sqlite3',
      anchorValue: sq3?.error ? 'not run' : fmt(sq3?.reqPerSec ?? NaN),
      ratio: ratio(ours?.reqPerSec ?? NaN, sq3?.reqPerSec ?? NaN),
      target: '≥ 5.0×',
      status: verdict(ours && sq3 && Number.isFinite(sq3.reqPerSec) ? ours.reqPerSec / sq3.reqPerSec >= 5 : undefined),
    },
    { measure: 'Cart p50 / p99 latency (ms)', ours: `${fmt(ours?.p50 ?? NaN)} / ${fmt(ours?.p99 ?? NaN)}`, anchor: 'express-session + MemoryStore', anchorValue: `${fmt(mem?.p50 ?? NaN)} / ${fmt(mem?.p99 ?? NaN)}`, ratio: `${ratio(ours?.p50 ?? NaN, mem?.p50 ?? NaN)} / ${ratio(ours?.p99 ?? NaN, mem?.p99 ?? NaN)}`, target: '—', status: '—' },
    { measure: 'Cart server CPU per request (µs)', ours: fmt(ours?.cpuUsPerReq ?? NaN), anchor: 'express-session + MemoryStore', anchorValue: fmt(mem?.cpuUsPerReq ?? NaN), ratio: ratio(ours?.cpuUsPerReq ?? NaN, mem?.cpuUsPerReq ?? NaN), target: '—', status: '—' },
    { measure: 'Login median (ms)', ours: fmt(loginMed, 1), anchor: `one PBKDF2 (${PASSWORD_FACTOR.toLocaleString('en-US')} it.)`, anchorValue: fmt(pbkdf2Ms, 1), ratio: ratio(loginMed, pbkdf2Ms), target: '< 60 ms', status: verdict(loginTimes ? loginMed < 60 : undefined) },
    { measure: 'Login p95 (ms)', ours: fmt(loginP95, 1), anchor: `one PBKDF2 (${PASSWORD_FACTOR.toLocaleString('en-US')} it.)`, anchorValue: fmt(pbkdf2Ms, 1), ratio: ratio(loginP95, pbkdf2Ms), target: '—', status: '—' },
    { measure: 'Cold start, fresh data dir (ms)', ours: fmt(fresh), anchor: 'bare Express 5 process start', anchorValue: fmt(bareStart), ratio: ratio(fresh, bareStart), target: '< 300 ms', status: verdict(freshStarts.length ? fresh < 300 : undefined) },
    { measure: 'Cold start, existing data dir (ms)', ours: fmt(restart), anchor: 'bare Express 5 process start', anchorValue: fmt(bareStart), ratio: ratio(restart, bareStart), target: '< 300 ms', status: verdict(restarts.length ? restart < 300 : undefined) },
    { measure: 'Full native-refresh walk (ms)', ours: fmt(walk), anchor: `${WALK_LOGINS} × PBKDF2 (its password checks)`, anchorValue: fmt(WALK_LOGINS * pbkdf2Ms), ratio: ratio(walk, WALK_LOGINS * pbkdf2Ms), target: '—', status: '—' },
    {
      measure: `RSS after ${SESSIONS.toLocaleString('en-US')} sessions (MB)`,
      ours: fmt(rssOurs?.afterMb ?? NaN),
      anchor: 'express-session + MemoryStore',
      anchorValue: fmt(rssMem?.afterMb ?? NaN),
      ratio: ratio(rssOurs?.afterMb ?? NaN, rssMem?.afterMb ?? NaN),
      target: '< 120 MB',
      status: verdict(rssOurs ? rssOurs.afterMb < 120 : undefined),
    },
  ];
  const summary = table(['Measure', 'Loginscope', 'Anchor', 'Anchor value', 'Ratio', 'Target', 'Status'], rows.map((r) => [r.measure, r.ours, r.anchor, r.anchorValue, r.ratio, r.target, r.status]));
  const tpTable = table(
    [`GET /api/cart, ${CONNECTIONS} connections, 2 × ${DURATION_S} s`, 'req/s (mean)', 'rounds req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'requests', 'non-2xx', 'errors', 'ours ÷ this (req/s)', 'ours ÷ this (CPU/req)'],
    (throughput ?? []).map((t) => [t.name, t.error ? `not run: ${t.error}` : fmt(t.reqPerSec), (rounds[t.name] ?? []).map((v) => fmt(v)).join(' / '), fmt(t.p50), fmt(t.p99), fmt(t.cpuUsPerReq), fmt(t.requests), String(t.non2xx), String(t.errors), ratio(ours?.reqPerSec ?? NaN, t.reqPerSec), ratio(ours?.cpuUsPerReq ?? NaN, t.cpuUsPerReq)]),
  );
  const rssTable = table(
    ['Process', 'RSS idle MB', `RSS after MB`, 'sessions', 'created in s'],
    rss.map((r) => [r.name, fmt(r.baselineMb), fmt(r.afterMb), fmt(r.created), fmt(r.seconds, 1)]),
  );
  const samples = table(
    ['Series', 'runs (ms)'],
    [
      ['Cold start, fresh dir', freshStarts.map((v) => v.toFixed(0)).join(', ')],
      ['Cold start, existing dir', restarts.map((v) => v.toFixed(0)).join(', ')],
      ['Bare Express 5 start', bareStarts.map((v) => v.toFixed(0)).join(', ')],
      ['Native-refresh walk', walks.map((v) => v.toFixed(0)).join(', ')],
      ['Login min / median / p95 / max', loginTimes ? [Math.min(...loginTimes), loginMed, loginP95, Math.max(...loginTimes)].map((v) => v.toFixed(1)).join(' / ') : 'n/a'],
    ],
  );

  const totalS = (performance.now() - benchStarted) / 1000;
  console.log('\n' + summary + '\n\n' + tpTable + '\n\n' + rssTable + '\n\n' + samples + '\n');
  if (errors.length) console.log('Errors:\n' + errors.map((e) => `- ${e}`).join('\n'));

  const md = `# Loginscope bench results

Written by \`npm run bench\` (test/bench/run.ts). Do not edit by hand: rerun the bench.

- Date: ${new Date().toISOString()}
- Machine: ${m.cores} cores, ${m.cpu}, ${m.memGb} GB RAM, ${m.platform}
- Node: ${m.node}
- Code: ${commit} (built by \`npm run bench\` just before the run)
- Load average (1/5/15 min) before: ${loadBefore}; after: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}. The machine is shared: a load above the core count means other work competed with every row.
- Bench time (after the build): ${totalS.toFixed(0)} s${QUICK ? '\n- **BENCH_QUICK smoke run: short runs and few samples; not results.**' : ''}

## Summary

${summary}

Ratios are Loginscope ÷ anchor (for req/s higher is better; for ms, µs and MB lower is better).
${bare && sq3 && Number.isFinite(sq3.reqPerSec) ? `On this machine the no-session ceiling (bare Express 5) itself reaches ${(bare.reqPerSec / sq3.reqPerSec).toFixed(2)}× connect-sqlite3, so a target of ≥ 5× connect-sqlite3 ${bare.reqPerSec / sq3.reqPerSec < 5 ? 'is out of reach for any Express server with a session here' : 'is below the ceiling'}.` : ''}
${rssMem ? `The MemoryStore anchor itself ends at ${fmt(rssMem.afterMb)} MB after the same ${SESSIONS.toLocaleString('en-US')} sessions (the 120 MB target ${rssMem.afterMb < 120 ? 'is met' : 'is missed'} by the anchor too).` : ''}

## Session throughput

\`GET /api/cart\` with a logged-in session cookie, autocannon over loopback, ${CONNECTIONS} connections. All four servers run at once (idle but for the one
being hammered), each gets ${WARMUP_S} s of warm-up, then two measured rounds of ${DURATION_S} s in mirrored order (ours, bare, MemoryStore, connect-sqlite3, then back);
req/s, p50 and p99 are the means of the two rounds. Each server is its own process (autocannon runs in the bench process, so on ${m.cores} cores client and server share the machine the same way for every row).
Every anchor answers from the same \`AppDatabase.cart()\` over the same seed (the JSON body is checked byte-for-byte against ours before the run),
with the same session cookie settings (\`store_session\`, HttpOnly, SameSite=Lax, path /, no maxAge, resave false, saveUninitialized false)
and the same session payload (the row our store holds after a real login). Loginscope is what \`npm start\` runs (\`out/loginscope.mjs --web\`, the bundled launcher), so its numbers
include what every request pays in the product: Host routing, security headers, the trace recorder, the step matcher and the session store.

${tpTable}

## Memory

RSS of the server process (read from /proc by the bench, so it is the backend's own), idle just after start, then right after the last of ${SESSIONS.toLocaleString('en-US')} sessions were made over HTTP.
Loginscope's sessions come from one real login and then ${SESSIONS.toLocaleString('en-US')} requests that carry only the refresh-token cookie, so each one refreshes at the
embedded identity server and starts a new session (seed steps 14–18) without spending ${SESSIONS.toLocaleString('en-US')} PBKDF2 runs. The anchors' sessions come from their \`POST /api/login\`.

${rssTable}

## Samples

Cold start: \`node out/loginscope.mjs --web --no-open --port 0 --data-dir <tmp>\` from spawn to the \`Loginscope ready:\` line. A fresh data dir pays for
the migrations and the seed (including hashing the demo user's password once); the existing-dir runs restart on the first fresh dir.
The walk runs on each freshly started process: every native-refresh step over HTTP with a cookie jar, expiry by the inspector's clock API,
both attacks; it is only counted if the inspector saw all steps. Logins: ${LOGINS} sequential browser-equivalent \`POST /api/login\` (after 5 warm-up ones),
each from an empty cookie jar, through the store backend to the embedded identity server and back.

${samples}
${errors.length ? `\n## Errors\n\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''}`;
  writeFileSync(path.join(here, 'RESULTS.md'), md);
  log(`wrote test/bench/RESULTS.md (${totalS.toFixed(0)} s)`);
}

try {
  await main();
} finally {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
}
