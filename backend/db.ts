import Database from 'better-sqlite3';
import { DataFileError, prepareDataFile } from './data-dir.js';

export type Db = Database.Database;

const advice = 'Move it away, or start with --data-dir pointing at another folder.';

/**
 * Opens one system's database (WAL) and brings it to the newest schema.
 * Migration i runs when user_version < i + 1, all inside one transaction per step.
 * A file that is not a usable database is a DataFileError naming it, never a stack trace.
 */
export function openDatabase(file: string, migrations: readonly string[]): Db {
  if (file !== ':memory:') prepareDataFile(file);
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new DataFileError(`${file} has schema version ${current}, newer than this Loginscope knows (version ${migrations.length}): it was written by a newer Loginscope. Use that version, or ${advice.toLowerCase()}`);
    }
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        db!.exec(migrations[version]!);
        db!.pragma(`user_version = ${version + 1}`);
      })();
    }
    // A truncated or overwritten file can still have a readable header: look at every page once, at open.
    const check = current > 0 ? String(db.pragma('quick_check', { simple: true })) : 'ok';
    if (check !== 'ok') throw new Error(check);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof DataFileError) throw err;
    throw new DataFileError(`${file} is damaged or not a Loginscope database (${(err as Error).message}). ${advice}`);
  }
}
