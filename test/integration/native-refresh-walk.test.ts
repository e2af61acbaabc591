import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { InspectorClient, seedSteps, seenOrder, type InspectorState } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const IDLE = 600;
const REFRESH_MINUTES = 60;
const credentials = { email: 'demo@example.com', password: 'demo-password' };

describe('native-refresh, walked over real HTTP with a cookie jar', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const browser = new Browser();
  const store = (p: string) => `${app.urls.store}${p}`;
  const forum = (p: string) => `${app.urls.forum}${p}`;
  const cookie = async (url: string, name: string) => (await browser.cookies(url)).find((c) => c.key === name);

  beforeAll(async () => {
    app = await startTestLoginscope({ ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: REFRESH_MINUTES, ssoSessionSeconds: 3600 } });
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  it('walks every step of the seed, in order', async () => {
    // 1–5: the store loads, nobody is logged in, the form shows.
    expect((await browser.fetch(store('/'))).status).toBe(200);
    expect((await browser.fetch(store('/api/me'))).status).toBe(404);
    expect((await browser.fetch(store('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);

    // 6–10: native login; the session id and the refresh token come back as HttpOnly cookies.
    const bad = await browser.fetch(store('/api/login'), { json: { email: credentials.email, password: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_credentials');
    const login = await browser.fetch(store('/api/login'), { json: credentials });
    expect(login.status).toBe(200);
    expect(login.json<{ user: { email: string } }>().user.email).toBe(credentials.email);
    expect(login.setCookies.some((c) => /^store_session=.*HttpOnly/i.test(c) && /SameSite=Lax/i.test(c))).toBe(true);
    expect(login.setCookies.some((c) => /^store_refresh_token=.*HttpOnly/i.test(c))).toBe(true);
    expect(login.setCookies.some((c) => /^(access_token|refresh_token)=/.test(c))).toBe(false);
    const firstSession = (await cookie(store('/'), 'store_session'))!.value;

    // 11–13: the cart, with the session extended.
    const cart = await browser.fetch(store('/api/cart'));
    expect(cart.status).toBe(200);
    expect(cart.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);

    // 14–18: a while later the session has expired; the refresh token buys a new session in the same response.
    await inspector.advance(IDLE + 1);
    const refreshed = await browser.fetch(store('/api/cart'));
    expect(refreshed.status).toBe(200);
    const secondSession = (await cookie(store('/'), 'store_session'))!.value;
    expect(secondSession).not.toBe(firstSession);

    // 19–23: later still, session and refresh token are both dead: 401, and the form again.
    await inspector.advance(REFRESH_MINUTES * 60 + 1);
    const dead = await browser.fetch(store('/api/cart'));
    expect(dead.status).toBe(401);
    expect((await browser.fetch(store('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);
    expect((await browser.fetch(store('/api/login'), { json: credentials })).status).toBe(200);

    // 24–36: the forum knows nothing of the store's login: its own form, its own login, its own cookies.
    expect((await browser.fetch(forum('/'))).status).toBe(200);
    expect((await browser.fetch(forum('/api/me'))).status).toBe(404);
    expect((await browser.fetch(forum('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);
    expect((await browser.fetch(forum('/api/login'), { json: credentials })).status).toBe(200);
    const posts = await browser.fetch(forum('/api/posts'));
    expect(posts.status).toBe(200);
    expect(await cookie(forum('/'), 'store_session')).toBeUndefined();

    // 37–44: the two attacks, over real HTTP as the attacker.
    const stolenRefresh = await inspector.attack('stolen-refresh-token');
    expect(stolenRefresh.status).toBe(200);
    expect(stolenRefresh.json<{ outcome: string; events: number[] }>()).toMatchObject({ outcome: expect.stringMatching(/cart.*new session/) });
    const stolenSession = await inspector.attack('stolen-session-cookie');
    expect(stolenSession.json<{ succeeded: boolean }>().succeeded).toBe(true);

    const state = await inspector.state<InspectorState>();
    const { order, unseen } = seenOrder(state);
    expect(unseen).toEqual([]);
    expect(order).toEqual(seedSteps(state).map((s) => s.n));
    expect(seedSteps(state)).toHaveLength(44);
  });

  it('shows the sessions, their end reasons and the refresh tokens', async () => {
    const state = await inspector.state<InspectorState>();
    const reasons = state.sessions.store.map((s) => s.endReason);
    expect(reasons).toContain('expired-idle');
    expect(state.sessions.store.some((s) => s.status === 'active' && s.origin === 'refresh')).toBe(true);
    expect(state.sessions.forum.filter((s) => s.status === 'active')).toHaveLength(1);
    expect(state.cookies.store?.find((c) => c.name === 'store_session')).toMatchObject({ httpOnly: true, hostOnly: true, sameSite: 'Lax' });
    expect(state.cookies.forum?.map((c) => c.name).sort()).toEqual(['forum_refresh_token', 'forum_session']);
    expect(state.idp.refreshTokens.length).toBeGreaterThan(0);
  });

  it('answers bad input with clear errors and keeps serving', async () => {
    const fresh = new Browser();
    expect((await fresh.fetch(store('/api/login'), { json: {} })).status).toBe(400);
    const garbage = await fresh.fetch(store('/api/login'), { body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(garbage.status).toBe(400);
    expect(garbage.json<{ error: { code: string } }>().error.code).toBe('malformed_json');
    const huge = await fresh.fetch(store('/api/login'), { json: { email: 'x', password: 'y'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect((await fresh.fetch(store('/api/cart'))).status).toBe(401);
    expect((await fresh.fetch(store('/api/nothing'))).status).toBe(404);
    expect((await fresh.fetch(store('/api/ui-events'), { json: { view: 'nope' } })).status).toBe(400);
    expect((await inspector.advance(-5)).status).toBe(400);
    expect((await inspector.attack('nope')).status).toBe(404);
    expect((await inspector.expire({ kind: 'bogus' })).status).toBe(400);
    expect((await fresh.fetch(store('/api/me'))).status).toBe(404);
  });

  it('logs out: the session ends as "logout" and the cookies are cleared', async () => {
    const user = new Browser();
    expect((await user.fetch(store('/api/login'), { json: credentials })).status).toBe(200);
    const out = await user.fetch(store('/api/logout'), { method: 'POST' });
    expect(out.status).toBe(204);
    expect((await user.fetch(store('/api/me'))).status).toBe(404);
    const state = await inspector.state<InspectorState>();
    expect(state.sessions.store.some((s) => s.endReason === 'logout')).toBe(true);
  });
});

describe('secureCookies: the Secure flag decided once, in config', () => {
  let app: TestLoginscope;
  beforeAll(async () => {
    app = await startTestLoginscope({ secureCookies: true });
  });
  afterAll(() => app.stop());

  it('sets Secure on the session and refresh-token cookies over http://*.localhost, and they still work', async () => {
    const browser = new Browser();
    const login = await browser.fetch(`${app.urls.store}/api/login`, { json: credentials });
    expect(login.status).toBe(200);
    expect(login.setCookies.find((c) => c.startsWith('store_session='))).toMatch(/; Secure/i);
    expect(login.setCookies.find((c) => c.startsWith('store_refresh_token='))).toMatch(/; Secure/i);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);
    const state = await new InspectorClient(app).state<InspectorState & { secureCookies: boolean }>();
    expect(state.secureCookies).toBe(true);
  });
});

describe('refresh tokens: odd cookies, logout, expiring one app’s', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  beforeAll(async () => {
    app = await startTestLoginscope();
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  it('treats a refresh-token cookie that is not ours as no token: 401, cookie cleared', async () => {
    const res = await new Browser().fetch(`${app.urls.store}/api/cart`, { headers: { cookie: 'store_refresh_token=%E0%A4%A' } });
    expect(res.status).toBe(401);
    expect(res.setCookies.some((c) => c.startsWith('store_refresh_token=;'))).toBe(true);
  });

  it('revokes the refresh token at logout, so a stolen copy stops working', async () => {
    const user = new Browser();
    expect((await user.fetch(`${app.urls.store}/api/login`, { json: credentials })).status).toBe(200);
    const token = (await user.cookies(app.urls.store)).find((c) => c.key === 'store_refresh_token')!.value;
    expect((await user.fetch(`${app.urls.store}/api/logout`, { method: 'POST' })).status).toBe(204);
    const thief = await new Browser().fetch(`${app.urls.store}/api/cart`, { headers: { cookie: `store_refresh_token=${token}` } });
    expect(thief.status).toBe(401);
    const state = await inspector.state();
    expect(state.idp.refreshTokens.find((t) => t.token === decodeURIComponent(token))).toMatchObject({ status: 'revoked' });
  });

  it('expires only the named app’s refresh tokens', async () => {
    const user = new Browser();
    expect((await user.fetch(`${app.urls.store}/api/login`, { json: credentials })).status).toBe(200);
    expect((await user.fetch(`${app.urls.forum}/api/login`, { json: credentials })).status).toBe(200);
    const res = await inspector.expire({ kind: 'refresh-token', app: 'store' });
    expect(res.json<{ expired: number }>().expired).toBe(1);
    const live = (await inspector.state()).idp.refreshTokens.filter((t) => t.status === 'active').map((t) => t.app);
    expect(live).toEqual(['forum']);
    expect((await inspector.expire({ kind: 'sso-session', app: 'store' })).status).toBe(400);
  });
});
