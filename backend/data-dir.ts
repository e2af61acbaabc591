import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The data dir holds the API key, the signing key, live tokens and the session secret: owner only. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** A data file Loginscope cannot use: one line naming the file and what to do (exit code 2). */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

const owned = (mode: number, wanted: number) => (mode & 0o777) === wanted;

/**
 * Creates the data dir 0700, or tightens an existing one (and every file in it, 0600) that others could read.
 * Returns the one line to print when something was tightened. POSIX modes mean nothing on Windows: skipped there.
 */
export function preparePrivateDataDir(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform === 'win32') return undefined;
  const tightened: string[] = [];
  if (!owned(statSync(dir).mode, DIR_MODE)) {
    chmodSync(dir, DIR_MODE);
    tightened.push('the folder');
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    if (!owned(statSync(file).mode, FILE_MODE)) {
      chmodSync(file, FILE_MODE);
      tightened.push(entry.name);
    }
  }
  return tightened.length > 0 ? `Data dir ${dir} was readable by other users; made private (owner only): ${tightened.join(', ')}.` : undefined;
}

/**
 * Makes sure `file` can be opened as a database: creates it empty and private (SQLite gives its -wal and -shm files
 * the database file's mode), or refuses what is in its place with a line saying what to do.
 */
export function prepareDataFile(file: string): void {
  const advice = `Move it away, or start with --data-dir pointing at another folder.`;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    closeSync(openSync(file, 'wx', FILE_MODE));
    return;
  }
  if (!stat.isFile()) throw new DataFileError(`${file} is not a file (a folder or something else is in its place). ${advice}`);
  // An empty file would open as a new database: a new secret and new keys, silently. Only a file SQLite made
  // itself just now (with its WAL beside it) may be empty.
  if (stat.size === 0 && !hasContent(`${file}-wal`)) throw new DataFileError(`${file} is empty (0 bytes), so its data is lost. ${advice}`);
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}
