import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type session from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { AppDatabase } from '../../backend/app/app-db.js';
import { createClock } from '../../backend/clock.js';
import { SqliteSessionStore } from '../../backend/sessions/sqlite-session-store.js';
import { TraceBus } from '../../backend/trace/bus.js';
import type { InternalEvent } from '../../backend/trace/types.js';

const IDLE = 600;
const ABSOLUTE = 3600;

/** What each test opened: closed and removed after it. */
const opened: Array<{ dir: string; appDb: AppDatabase }> = [];
afterEach(() => {
  for (const { appDb } of opened) if (appDb.db.open) appDb.close();
  for (const dir of new Set(opened.map((o) => o.dir))) rmSync(dir, { recursive: true, force: true });
  opened.length = 0;
});

function setup(dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-store-'))) {
  const clock = createClock(() => 1_700_000_000_000);
  const bus = new TraceBus(clock);
  const events: InternalEvent[] = [];
  bus.subscribe((e) => e.type !== 'exchange' && events.push(e));
  const appDb = new AppDatabase(dir, clock);
  opened.push({ dir, appDb });
  const make = (app: 'store' | 'forum') => new SqliteSessionStore({ db: appDb.db, app, clock, bus, idleSeconds: IDLE, absoluteSeconds: ABSOLUTE });
  return { dir, clock, bus, events, appDb, store: make('store'), forum: make('forum') };
}

const data = (email: string): session.SessionData =>
  ({ cookie: { originalMaxAge: null }, user: { id: 'u1', email, fullName: 'Demo' }, jwt: 'a.b.c', origin: 'login' }) as unknown as session.SessionData;

const get = (s: SqliteSessionStore, sid: string) => new Promise<session.SessionData | null | undefined>((res, rej) => s.get(sid, (e, v) => (e ? rej(e) : res(v))));
const set = (s: SqliteSessionStore, sid: string, d: session.SessionData) => new Promise<void>((res, rej) => s.set(sid, d, (e) => (e ? rej(e) : res())));
const touch = (s: SqliteSessionStore, sid: string) => new Promise<void>((res, rej) => s.touch(sid, data('x'), (e) => (e ? rej(e) : res())));
const destroy = (s: SqliteSessionStore, sid: string) => new Promise<void>((res, rej) => s.destroy(sid, (e) => (e ? rej(e) : res())));
const all = (s: SqliteSessionStore) => new Promise<session.SessionData[]>((res, rej) => s.all((e, v) => (e ? rej(e) : res(v as session.SessionData[]))));
const length = (s: SqliteSessionStore) => new Promise<number>((res, rej) => s.length((e, v) => (e ? rej(e) : res(v as number))));
const clear = (s: SqliteSessionStore) => new Promise<void>((res, rej) => s.clear((e) => (e ? rej(e) : res())));

describe('SqliteSessionStore', () => {
  it('keeps the Store contract: set, get, touch, destroy, all, length, clear', async () => {
    const { store, events } = setup();
    await set(store, 'a', data('demo@example.com'));
    expect((await get(store, 'a'))?.user?.email).toBe('demo@example.com');
    expect(events.map((e) => e.type)).toEqual(['session.created']);
    await set(store, 'a', data('changed@example.com'));
    expect((await get(store, 'a'))?.user?.email).toBe('changed@example.com');
    expect(events.filter((e) => e.type === 'session.created')).toHaveLength(1);
    await touch(store, 'a');
    expect(events.at(-1)?.type).toBe('session.touched');
    await set(store, 'b', data('b@example.com'));
    expect(await length(store)).toBe(2);
    expect((await all(store)).map((d) => d.user?.email).sort()).toEqual(['b@example.com', 'changed@example.com']);
    await destroy(store, 'a');
    expect(await get(store, 'a')).toBeNull();
    expect(store.rows().find((r) => r.sid === 'a')?.endReason).toBe('destroyed');
    await clear(store);
    expect(await length(store)).toBe(0);
    expect(await get(store, 'missing')).toBeNull();
  });

  it('slides the idle expiry on touch, without rewriting the data', async () => {
    const { store, clock } = setup();
    await set(store, 'a', data('demo@example.com'));
    const before = store.rows()[0]!;
    clock.advance((IDLE - 60) * 1000);
    await touch(store, 'a');
    const after = store.rows()[0]!;
    expect(after.idleExpiresAt).toBe(before.idleExpiresAt + (IDLE - 60) * 1000);
    expect(after.data).toEqual(before.data);
    clock.advance((IDLE - 60) * 1000);
    expect(await get(store, 'a')).not.toBeNull();
  });

  it('keeps expiry to the second: a burst of requests extends the session without a write each', async () => {
    const { store, clock, events } = setup();
    await set(store, 'a', data('demo@example.com'));
    const created = store.rows()[0]!;
    await get(store, 'a');
    await touch(store, 'a');
    expect(store.rows()[0]!.touchedAt).toBe(created.touchedAt);
    expect(events.at(-1)).toMatchObject({ type: 'session.touched', data: { idleExpiresAt: created.idleExpiresAt } });
    clock.advance(1500);
    await get(store, 'a');
    await touch(store, 'a');
    expect(store.rows()[0]!.idleExpiresAt).toBe(created.idleExpiresAt + 1500);
    expect(events.at(-1)).toMatchObject({ type: 'session.touched', data: { idleExpiresAt: created.idleExpiresAt + 1500 } });
  });

  it('does not report a touch for a session that ended after it was read', async () => {
    const { store, events } = setup();
    await set(store, 'a', data('demo@example.com'));
    await get(store, 'a');
    store.end('a', 'logout');
    const before = events.length;
    await touch(store, 'a');
    expect(events.slice(before).map((e) => e.type)).toEqual([]);
  });

  it('expires on idle, and records why on lookup', async () => {
    const { store, clock, events } = setup();
    await set(store, 'a', data('demo@example.com'));
    clock.advance(IDLE * 1000);
    expect(await get(store, 'a')).toBeNull();
    expect(store.rows()[0]).toMatchObject({ endReason: 'expired-idle' });
    expect(events.at(-1)).toMatchObject({ type: 'session.expired', data: { reason: 'expired-idle', foundOnLookup: true } });
    expect(await get(store, 'a')).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'session.rejected', data: { reason: 'expired-idle' } });
  });

  it('expires at the absolute limit however often it is used', async () => {
    const { store, clock } = setup();
    await set(store, 'a', data('demo@example.com'));
    for (let t = 0; t < ABSOLUTE - IDLE; t += IDLE / 2) {
      clock.advance((IDLE / 2) * 1000);
      await touch(store, 'a');
    }
    expect(store.rows()[0]!.idleExpiresAt).toBe(store.rows()[0]!.absoluteExpiresAt);
    clock.advance(IDLE * 1000);
    expect(await get(store, 'a')).toBeNull();
    expect(store.rows()[0]!.endReason).toBe('expired-absolute');
  });

  it('sweeps expired rows when asked, and all/length leave them out', async () => {
    const { store, clock, events } = setup();
    await set(store, 'old', data('old@example.com'));
    clock.advance((IDLE - 1) * 1000);
    await set(store, 'new', data('new@example.com'));
    clock.advance(2000);
    expect(await length(store)).toBe(1);
    expect((await all(store)).map((d) => d.user?.email)).toEqual(['new@example.com']);
    expect(store.sweep()).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'session.expired', data: { sid: 'old', foundOnLookup: false } });
    expect(store.sweep()).toBe(0);
  });

  it('keeps the apps apart in one table', async () => {
    const { store, forum } = setup();
    await set(store, 'same-id', data('store@example.com'));
    expect(await get(forum, 'same-id')).toBeNull();
    await set(forum, 'same-id', data('forum@example.com'));
    expect((await get(store, 'same-id'))?.user?.email).toBe('store@example.com');
    expect((await get(forum, 'same-id'))?.user?.email).toBe('forum@example.com');
  });

  it('refuses to revive an ended session', async () => {
    const { store } = setup();
    await set(store, 'a', data('demo@example.com'));
    store.end('a', 'logout');
    await expect(set(store, 'a', data('demo@example.com'))).rejects.toThrow(/ended/);
  });

  it('survives a restart on the same data dir', async () => {
    const first = setup();
    await set(first.store, 'kept', data('demo@example.com'));
    const secret = first.appDb.sessionSecret();
    first.appDb.close();
    const second = setup(first.dir);
    expect((await get(second.store, 'kept'))?.user?.email).toBe('demo@example.com');
    expect(second.appDb.sessionSecret()).toBe(secret);
  });
});
