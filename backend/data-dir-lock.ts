import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataFileError } from './data-dir.js';

/** The lock file in the data dir: who holds the folder. */
export const LOCK_FILE = 'loginscope.lock';

interface LockRecord {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells this holder's lock from a later one with the same pid (a restart in the same process). */
  token: string;
}

/** Another Loginscope (or another start in this process) holds the data dir: exit code 2, one line naming it. */
export class DataDirLockedError extends DataFileError {
  constructor(
    readonly dir: string,
    readonly holder: Partial<LockRecord>,
  ) {
    const who = holder.pid === process.pid ? `this process (PID ${holder.pid})` : `process ${holder.pid}`;
    super(
      `Data dir ${dir} is in use by another Loginscope: ${who}${holder.host && holder.host !== os.hostname() ? ` on ${holder.host}` : ''}` +
        `${holder.startedAt ? `, started ${holder.startedAt}` : ''}. Stop it, or start with --data-dir pointing at another folder` +
        ` (if no such Loginscope runs, delete ${path.join(dir, LOCK_FILE)}).`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours; idempotent. */
  release(): void;
}

/** Is a process with this pid running here? EPERM: it runs, as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(file: string): Partial<LockRecord> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {}; // torn or foreign content: treated as stale below
  }
}

/**
 * A lock held by nobody any more: its process is gone, or it names no process (a torn write). A lock from another
 * host (a data dir on a shared drive) cannot be checked from here, so it counts as held.
 */
function isStale(record: Partial<LockRecord>): boolean {
  if (typeof record.pid !== 'number' || !Number.isInteger(record.pid) || record.pid <= 0) return true;
  if (record.host !== undefined && record.host !== os.hostname()) return false;
  return !processAlive(record.pid);
}

/**
 * Takes the data dir for this process: creates `loginscope.lock` with O_EXCL, holding our pid. A lock whose process
 * is gone (a crash, a kill -9) is taken over; a live one throws DataDirLockedError. Call after preparePrivateDataDir
 * (the folder exists), release on close.
 */
export function lockDataDir(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  // Two tries: the second after removing a stale lock. Losing a race for it to another start is then "in use".
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readRecord(file);
      if (holder === undefined) continue; // released between our open and our read
      if (attempt === 0 && isStale(holder)) {
        removeIfSame(file, holder);
        continue;
      }
      throw new DataDirLockedError(dir, holder);
    }
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        removeIfSame(file, record);
      },
    };
  }
  throw new DataDirLockedError(dir, readRecord(file) ?? {});
}

/** Removes the lock file only while it still holds `expected` (never another holder's lock). */
function removeIfSame(file: string, expected: Partial<LockRecord>): void {
  const current = readRecord(file);
  if (current === undefined || current.pid !== expected.pid || current.token !== expected.token) return;
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
