import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeSession, fakeEvent, resetElectronMock } = await import('./mocks/electron.js');
const { createCookieFeed, toCookieView } = await import('../../main/cookie-feed.js');

type ElectronCookie = Parameters<typeof toCookieView>[0];
type Ses = Parameters<typeof createCookieFeed>[0]['session'];

const sessionCookie: ElectronCookie = {
  name: 'store.sid',
  value: 's%3Aabc.def',
  domain: 'store.localhost',
  hostOnly: true,
  path: '/',
  secure: false,
  httpOnly: true,
  session: true,
  sameSite: 'lax',
};

describe('toCookieView', () => {
  it('maps the HttpOnly host-only session cookie', () => {
    expect(toCookieView(sessionCookie)).toEqual({
      name: 'store.sid',
      value: 's%3Aabc.def',
      domain: 'store.localhost',
      hostOnly: true,
      path: '/',
      secure: false,
      httpOnly: true,
      sameSite: 'Lax',
      session: true,
    });
  });

  it('maps a persistent domain cookie: leading dot dropped, not host-only, expiry in ms', () => {
    const view = toCookieView({ ...sessionCookie, name: 'refresh_token', domain: '.store.localhost', hostOnly: false, session: false, expirationDate: 1_900_000_000.5, secure: true });
    expect(view).toMatchObject({ domain: 'store.localhost', hostOnly: false, session: false, expires: 1_900_000_000_500, secure: true });
  });

  it.each([
    ['lax', 'Lax'],
    ['strict', 'Strict'],
    ['no_restriction', 'None'],
    ['unspecified', 'Unspecified'],
  ] as const)('spells SameSite %s as %s', (electron, view) => {
    expect(toCookieView({ ...sessionCookie, sameSite: electron }).sameSite).toBe(view);
  });

  it('infers what Electron leaves out: host-only from the domain, session from a missing expiry', () => {
    const view = toCookieView({ name: 'a', value: 'b', domain: '.forum.localhost', sameSite: 'unspecified' });
    expect(view).toEqual({ name: 'a', value: 'b', domain: 'forum.localhost', hostOnly: false, path: '/', secure: false, httpOnly: false, sameSite: 'Unspecified', session: true });
    expect(toCookieView({ name: 'a', value: 'b', domain: 'forum.localhost', sameSite: 'lax', expirationDate: 10 })).toMatchObject({ hostOnly: true, session: false, expires: 10_000 });
  });
});

describe('createCookieFeed', () => {
  beforeEach(() => {
    resetElectronMock();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('posts the jar at start, then one snapshot per batch of changes, with their causes', async () => {
    const ses = new FakeSession('persist:loginscope-browser');
    const post = vi.fn(async () => true);
    createCookieFeed({ session: ses as unknown as Ses, partition: ses.partition, post, batchMs: 100 });

    await vi.advanceTimersByTimeAsync(100);
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenLastCalledWith({ source: 'electron', partition: 'persist:loginscope-browser', cookies: [], changes: [] });

    ses.cookies.jar = [sessionCookie as unknown as Record<string, unknown>];
    ses.cookies.emit('changed', fakeEvent(), sessionCookie, 'inserted', false);
    ses.cookies.emit('changed', fakeEvent(), { ...sessionCookie, name: 'old.sid' }, 'explicit', true);
    await vi.advanceTimersByTimeAsync(99);
    expect(post).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(post).toHaveBeenCalledTimes(2);
    expect(post).toHaveBeenLastCalledWith({
      source: 'electron',
      partition: 'persist:loginscope-browser',
      cookies: [toCookieView(sessionCookie)],
      changes: [
        { cookie: toCookieView(sessionCookie), cause: 'inserted', removed: false },
        { cookie: toCookieView({ ...sessionCookie, name: 'old.sid' }), cause: 'explicit', removed: true },
      ],
    });
  });

  it('stops listening when stopped', async () => {
    const ses = new FakeSession('p');
    const post = vi.fn(async () => true);
    const feed = createCookieFeed({ session: ses as unknown as Ses, partition: 'p', post, batchMs: 10 });
    feed.stop();
    ses.cookies.emit('changed', fakeEvent(), sessionCookie, 'inserted', false);
    await vi.advanceTimersByTimeAsync(50);
    expect(post).not.toHaveBeenCalled();
    expect(ses.cookies.listenerCount('changed')).toBe(0);
  });

  it('survives a jar that cannot be read', async () => {
    const ses = new FakeSession('p');
    ses.cookies.get.mockRejectedValueOnce(new Error('store closed'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const post = vi.fn(async () => true);
    const feed = createCookieFeed({ session: ses as unknown as Ses, partition: 'p', post });
    await feed.flush();
    expect(post).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('store closed'));
  });
});
