import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../backend/data-dir-lock.js';
import { DataFileError } from '../../backend/data-dir.js';

const made: string[] = [];
const dir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'loginscope-lock-'));
  made.push(d);
  return d;
};
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A PID that is surely not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('data dir lock (issue 19 item 8)', () => {
  it('writes our pid with O_EXCL, refuses a second holder naming the first, and is taken again after release', () => {
    const d = dir();
    const lock = lockDataDir(d);
    expect(JSON.parse(readFileSync(path.join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    let refused: unknown;
    try {
      lockDataDir(d);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect(refused).toBeInstanceOf(DataFileError); // the launchers' exit-code-2 path
    expect((refused as Error).message).toMatch(new RegExp(`^Data dir .* is in use by another Loginscope: this process \\(PID ${process.pid}\\), started `));
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(path.join(d, LOCK_FILE))).toBe(false);
    lockDataDir(d).release();
  });

  it('takes over a lock whose process is gone, or that names no process', () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: 'earlier', token: 'x' }));
    const lock = lockDataDir(d);
    expect(JSON.parse(readFileSync(path.join(d, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    writeFileSync(path.join(d, LOCK_FILE), '{ torn');
    lockDataDir(d).release();
  });

  it('honours a live process that is not ours, and a lock from another host', () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: 'earlier', token: 'x' }));
    expect(() => lockDataDir(d)).toThrow(new RegExp(`in use by another Loginscope: process ${process.ppid}, started earlier\\. Stop it`));
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', startedAt: 'earlier', token: 'x' }));
    expect(() => lockDataDir(d)).toThrow(/on elsewhere\.example/);
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const d = dir();
    const lock = lockDataDir(d);
    const other = JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: 'later', token: 'other' });
    writeFileSync(path.join(d, LOCK_FILE), other);
    lock.release();
    expect(readFileSync(path.join(d, LOCK_FILE), 'utf8')).toBe(other);
  });
});
