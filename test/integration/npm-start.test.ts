import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_FLAGS, envName } from '../../backend/config.js';
import { LOCK_FILE, processAlive } from '../../backend/data-dir-lock.js';

/**
 * `npm start` as a newcomer runs it (issue 19, items 1, 2 and 8), through npm and its shell. The build is skipped
 * (LOGINSCOPE_SKIP_BUILD=1): the suite runs after `npm run -s build`, and rebuilding out/ here would pull it from
 * under the other tests.
 */
const root = path.resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dirs: string[] = [];
const children: ChildProcess[] = [];
const servers: number[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of servers.splice(0)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-npm-start-'));
  dirs.push(dir);
  return dir;
}

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  line(pattern: RegExp): Promise<RegExpExecArray>;
}

function npmStart(args: string[]): Run {
  const child = spawn(npm, ['start', '--', ...args], {
    cwd: root,
    env: { ...process.env, LOGINSCOPE_SKIP_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const line = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = out.split('\n').map((l) => pattern.exec(l)).find((x) => x);
        if (m) {
          child.stdout!.off('data', check);
          resolve(m);
        }
      };
      child.stdout!.on('data', check);
      void exited.then(() => reject(new Error(`npm start ended before ${pattern}: ${out}${err}`)));
      check();
    });
  return { child, stdout: () => out, stderr: () => err, exited, line };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm start (issue 19)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to the PID npm started stops the server and frees the port', async (signal) => {
    const dir = dataDir();
    const run = npmStart(['--web', '--no-open', '--port', '0', '--data-dir', dir]);
    const [, port] = await run.line(/^Loginscope ready: http:\/\/inspector\.localhost:(\d+)\/\?token=/);
    // The server's PID, from the data dir's lock: another process than npm (npm runs it through a shell).
    const server = (JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
    servers.push(server);
    expect(server).not.toBe(run.child.pid);
    // On Linux, say so exactly: npm's own child is the server (its shell became it), no shell left in between.
    if (process.platform === 'linux') expect(readFileSync(`/proc/${server}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]).toBe(String(run.child.pid));
    expect(await portFree(Number(port))).toBe(false);

    run.child.kill(signal);
    await run.exited;
    await expect.poll(() => processAlive(server), { message: 'the server process to end', timeout: 10_000 }).toBe(false);
    expect(await portFree(Number(port))).toBe(true);
    // It stopped cleanly (close() ran and released the data dir), not by being killed.
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('--help lists every flag with its environment variable and default, and exits 0', async () => {
    const run = npmStart(['--help']);
    const { code } = await run.exited;
    expect(code).toBe(0);
    const help = run.stdout();
    for (const f of CLI_FLAGS) {
      expect(help).toContain(f.flag === 'open' ? '--[no-]open' : `--${f.flag}`);
      if ('key' in f) expect(help).toMatch(new RegExp(`env ${envName(f.key)}; default \\S`));
    }
    expect(help).toMatch(/--port <port>\n.*\n\s+env LOGINSCOPE_PORT; default 9311/);
    expect(run.stderr()).not.toMatch(/Unknown option/i);
  }, 30_000);

  it('an unknown option names the closest valid one, exit code 2', async () => {
    const run = npmStart(['--web', '--no-open', '--prot', '0']);
    await run.exited;
    expect(run.stderr()).toContain('Command line: unknown option --prot (did you mean --port?)');
    expect(run.stdout()).not.toContain('Loginscope ready');
  }, 30_000);

  it('a second start on the same data dir says which process holds it and exits 2; the first runs on', async () => {
    const dir = dataDir();
    const first = npmStart(['--web', '--no-open', '--port', '0', '--data-dir', dir]);
    const [, port] = await first.line(/^Loginscope ready: http:\/\/inspector\.localhost:(\d+)\//);
    const holder = (JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
    servers.push(holder);

    const second = spawn(process.execPath, [path.join(root, 'out', 'loginscope.mjs'), '--web', '--no-open', '--port', '0', '--data-dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(second);
    let err = '';
    second.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(2);
    const lines = err.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Data dir ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another Loginscope: process ${holder}, started `))]);
    expect(await portFree(Number(port))).toBe(false);

    first.child.kill('SIGTERM');
    await expect.poll(() => processAlive(holder), { message: 'the first server to end', timeout: 10_000 }).toBe(false);
  }, 60_000);
});
