import session from 'express-session';
import type { Clock } from '../clock.js';
import type { Db } from '../db.js';
import type { AppId } from '../hosts.js';
import type { TraceBus } from '../trace/bus.js';
import type { SessionClient } from './session-data.js';

type SessionData = session.SessionData;

/** A touch moves the idle expiry only when it would move by at least this much. */
const TOUCH_RESOLUTION_MS = 1000;
const JUST_READ_LIMIT = 1024;
/** Ended rows kept per app for the inspector ("why did it end?"); older ones are deleted when the store sweeps. */
export const KEEP_ENDED_ROWS = 200;
type Callback<T = void> = (err?: unknown, value?: T) => void;

import type { EndReason } from './session-view.js';

export type { EndReason };

export interface SessionRow {
  app: AppId;
  sid: string;
  userEmail: string | null;
  data: SessionData;
  createdAt: number;
  touchedAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
}

interface RawRow {
  app: AppId;
  sid: string;
  data: string;
  user_email: string | null;
  created_at: number;
  touched_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  end_reason: EndReason | null;
}

export interface SqliteSessionStoreOptions {
  db: Db;
  app: AppId;
  clock: Clock;
  bus: TraceBus;
  /** Sliding: each use moves the idle expiry this far ahead ("extends the expiration date"). */
  idleSeconds: number;
  /** Hard cap from creation, whatever the use. */
  absoluteSeconds: number;
}

/**
 * An express-session Store on better-sqlite3, one per application backend, sharing one table separated by `app`.
 * Rows are never deleted by expiry: they are marked ended with a reason, so a lookup can tell "expired" from "unknown"
 * and the inspector can show why a session ended.
 */
export class SqliteSessionStore extends session.Store {
  private readonly q;
  /** What get() read, for the touch that follows in the same request (consumed there; bounded in size). */
  private readonly justRead = new Map<string, { idleExpiresAt: number; userEmail: string | null }>();

  constructor(private readonly o: SqliteSessionStoreOptions) {
    super();
    const { db } = o;
    this.q = {
      get: db.prepare<[string, string], RawRow>('SELECT * FROM sessions WHERE app = ? AND sid = ?'),
      insert: db.prepare(
        `INSERT INTO sessions (app, sid, data, user_email, created_at, touched_at, idle_expires_at, absolute_expires_at)
         VALUES (@app, @sid, @data, @userEmail, @now, @now, MIN(@idle, @absolute), @absolute)`,
      ),
      update: db.prepare('UPDATE sessions SET data = @data, user_email = @userEmail, touched_at = @now, idle_expires_at = MIN(@idle, absolute_expires_at) WHERE app = @app AND sid = @sid'),
      touch: db.prepare<[{ app: string; sid: string; now: number; idle: number }], Pick<RawRow, 'user_email' | 'idle_expires_at'>>(
        'UPDATE sessions SET touched_at = @now, idle_expires_at = MIN(@idle, absolute_expires_at) WHERE app = @app AND sid = @sid AND ended_at IS NULL RETURNING user_email, idle_expires_at',
      ),
      end: db.prepare('UPDATE sessions SET ended_at = @now, end_reason = @reason WHERE app = @app AND sid = @sid AND ended_at IS NULL'),
      live: db.prepare<[string, number], RawRow>('SELECT * FROM sessions WHERE app = ? AND ended_at IS NULL AND idle_expires_at > ? ORDER BY created_at'),
      count: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE app = ? AND ended_at IS NULL AND idle_expires_at > ?'),
      due: db.prepare<[string, number], RawRow>('SELECT * FROM sessions WHERE app = ? AND ended_at IS NULL AND idle_expires_at <= ?'),
      all: db.prepare<[string], RawRow>('SELECT * FROM sessions WHERE app = ? ORDER BY created_at DESC'),
      newest: db.prepare<[string, number], RawRow>('SELECT * FROM sessions WHERE app = ? ORDER BY created_at DESC LIMIT ?'),
      counts: db.prepare<[number, string], { total: number; live: number }>(
        'SELECT COUNT(*) AS total, COALESCE(SUM(ended_at IS NULL AND idle_expires_at > ?), 0) AS live FROM sessions WHERE app = ?',
      ),
      prune: db.prepare(
        `DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE app = @app AND ended_at IS NOT NULL
           ORDER BY ended_at DESC, rowid DESC LIMIT -1 OFFSET @keep)`,
      ),
      clear: db.prepare('DELETE FROM sessions WHERE app = ?'),
      cap: db.prepare(
        `UPDATE sessions SET absolute_expires_at = MIN(absolute_expires_at, created_at + @ms), idle_expires_at = MIN(idle_expires_at, created_at + @ms)
         WHERE app = @app AND ended_at IS NULL`,
      ),
    };
  }

  private absoluteOverride: number | undefined;

  /**
   * A shorter absolute timeout from now on (the short-absolute-timeout defence): new sessions get it, and live ones are
   * capped to it from their creation. `undefined` goes back to the configured one for new sessions.
   */
  setAbsoluteSeconds(seconds: number | undefined): void {
    this.absoluteOverride = seconds;
    if (seconds !== undefined) this.q.cap.run({ app: this.o.app, ms: seconds * 1000 });
  }

  private get absoluteSeconds(): number {
    return this.absoluteOverride ?? this.o.absoluteSeconds;
  }

  /** The client-binding defence: the app backend ends a session used by another user agent or address than its login's. */
  bindsClient = false;

  /** The idle expiry is capped at the absolute one, so `idle_expires_at <= now` alone says "expired". */
  private expiryReason(row: RawRow, now: number): EndReason | undefined {
    if (row.absolute_expires_at <= now) return 'expired-absolute';
    if (row.idle_expires_at <= now) return 'expired-idle';
    return undefined;
  }

  private markEnded(sid: string, reason: EndReason): boolean {
    this.justRead.delete(sid);
    return this.q.end.run({ app: this.o.app, sid, now: this.o.clock.now(), reason }).changes > 0;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    try {
      const row = this.q.get.get(this.o.app, sid);
      if (!row) return callback(null, null);
      if (row.ended_at !== null) {
        this.o.bus.emit('session.rejected', this.o.app, { sid, reason: row.end_reason, userEmail: row.user_email });
        return callback(null, null);
      }
      const expired = this.expiryReason(row, this.o.clock.now());
      if (expired) {
        this.markEnded(sid, expired);
        this.o.bus.emit('session.expired', this.o.app, { sid, reason: expired, userEmail: row.user_email, foundOnLookup: true });
        return callback(null, null);
      }
      this.justRead.set(sid, { idleExpiresAt: row.idle_expires_at, userEmail: row.user_email });
      if (this.justRead.size > JUST_READ_LIMIT) this.justRead.delete(this.justRead.keys().next().value!);
      callback(null, JSON.parse(row.data) as SessionData);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    try {
      const now = this.o.clock.now();
      const params = {
        app: this.o.app,
        sid,
        data: JSON.stringify(data),
        userEmail: data.user?.email ?? null,
        now,
        idle: now + this.o.idleSeconds * 1000,
        absolute: now + this.absoluteSeconds * 1000,
      };
      const existing = this.q.get.get(this.o.app, sid);
      if (existing && existing.ended_at !== null) {
        callback?.(new Error('refusing to revive an ended session'));
        return;
      }
      if (existing) this.q.update.run(params);
      else {
        this.q.insert.run(params);
        this.o.bus.emit('session.created', this.o.app, {
          sid,
          userEmail: params.userEmail,
          origin: data.origin,
          idleExpiresAt: params.idle,
          absoluteExpiresAt: params.absolute,
        });
      }
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Extends the idle expiry only: no rewrite of the data. */
  override touch(sid: string, _data: SessionData, callback?: Callback): void {
    try {
      const now = this.o.clock.now();
      const idle = now + this.o.idleSeconds * 1000;
      const read = this.justRead.get(sid);
      this.justRead.delete(sid);
      // Expiry is kept to the second: a burst of requests extends the session without a write each.
      if (read && idle - read.idleExpiresAt < TOUCH_RESOLUTION_MS) {
        this.o.bus.emit('session.touched', this.o.app, { sid, userEmail: read.userEmail, idleExpiresAt: read.idleExpiresAt });
        return callback?.();
      }
      // One statement: the UPDATE returns what the event needs instead of a second SELECT.
      const row = this.q.touch.get({ app: this.o.app, sid, now, idle });
      if (row) {
        this.o.bus.emit('session.touched', this.o.app, { sid, userEmail: row.user_email, idleExpiresAt: row.idle_expires_at });
      }
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      this.end(sid, 'destroyed');
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Ends a session now, saying why (logout, replaced at login, forced by the inspector). */
  end(sid: string, reason: EndReason): boolean {
    const ended = this.markEnded(sid, reason);
    if (ended) this.o.bus.emit(reason === 'forced' ? 'session.expired' : 'session.destroyed', this.o.app, { sid, reason });
    return ended;
  }

  override all(callback: Callback<SessionData[]>): void {
    try {
      callback(null, this.q.live.all(this.o.app, this.o.clock.now()).map((r) => JSON.parse(r.data) as SessionData));
    } catch (err) {
      callback(err);
    }
  }

  override length(callback: Callback<number>): void {
    try {
      callback(null, this.q.count.get(this.o.app, this.o.clock.now())!.n);
    } catch (err) {
      callback(err);
    }
  }

  override clear(callback?: Callback): void {
    try {
      this.q.clear.run(this.o.app);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /**
   * Marks every session past its idle or absolute expiry as ended, then deletes ended rows beyond the newest
   * KEEP_ENDED_ROWS; run whenever the clock moves and as real time passes.
   */
  sweep(): number {
    const now = this.o.clock.now();
    const due = this.q.due.all(this.o.app, now);
    for (const row of due) {
      const reason = this.expiryReason(row, now)!;
      if (this.markEnded(row.sid, reason)) this.o.bus.emit('session.expired', this.o.app, { sid: row.sid, reason, userEmail: row.user_email, foundOnLookup: false });
    }
    this.q.prune.run({ app: this.o.app, keep: KEEP_ENDED_ROWS });
    return due.length;
  }

  /** Whether this session exists and has not ended or expired (a read: no event, no touch). */
  isLive(sid: string): boolean {
    const row = this.q.get.get(this.o.app, sid);
    return row !== undefined && row.ended_at === null && this.expiryReason(row, this.o.clock.now()) === undefined;
  }

  /** The client a live session was opened by (client binding); undefined when it is not live or kept none. */
  boundClient(sid: string): SessionClient | undefined {
    const row = this.q.get.get(this.o.app, sid);
    if (!row || row.ended_at !== null || this.expiryReason(row, this.o.clock.now()) !== undefined) return undefined;
    return (JSON.parse(row.data) as SessionData).client;
  }

  /** How many rows there are, and how many of them are live. */
  counts(): { total: number; live: number } {
    return this.q.counts.get(this.o.clock.now(), this.o.app)!;
  }

  /** Rows newest first, for the inspector: all of them, or the newest `limit`. */
  rows(limit?: number): SessionRow[] {
    const raw = limit === undefined ? this.q.all.all(this.o.app) : this.q.newest.all(this.o.app, limit);
    return raw.map((r) => ({
      app: r.app,
      sid: r.sid,
      userEmail: r.user_email,
      data: JSON.parse(r.data) as SessionData,
      createdAt: r.created_at,
      touchedAt: r.touched_at,
      idleExpiresAt: r.idle_expires_at,
      absoluteExpiresAt: r.absolute_expires_at,
      endedAt: r.ended_at,
      endReason: r.end_reason,
    }));
  }
}
