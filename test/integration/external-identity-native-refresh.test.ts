import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, IdentityOnlyProcess } from '../support/external-identity.js';
import { Browser } from '../support/http.js';
import { InspectorClient, seenOrder, type InspectorState } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const IDLE = 600;
const REFRESH_MINUTES = 60;
const credentials = { email: 'demo@example.com', password: 'demo-password' };

interface ExternalState extends InspectorState {
  identity: { kind: string; publicUrl: string; check: { ok: boolean; problems: unknown[] } | null };
  steps: Array<InspectorState['steps'][number] & { from: string; to: string; observable: boolean }>;
  trace?: unknown;
}

/**
 * native-refresh against an external identity server: a second Loginscope in its own process, started with
 * --identity-only, which this Loginscope reaches only through identity.kind = 'fusionauth' (url + API key + ids).
 */
describe('native-refresh against an external identity server (identity-only child process)', () => {
  let idp: IdentityOnlyProcess;
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const browser = new Browser();
  const store = (p: string) => `${app.urls.store}${p}`;
  const forum = (p: string) => `${app.urls.forum}${p}`;
  const cookie = async (url: string, name: string) => (await browser.cookies(url)).find((c) => c.key === name);

  beforeAll(async () => {
    const port = await freePort();
    idp = await IdentityOnlyProcess.start(port);
    app = await startTestLoginscope({
      port,
      identity: idp.info.config.identity,
      ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: REFRESH_MINUTES, ssoSessionSeconds: 3600 },
    });
    inspector = new InspectorClient(app);
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  it('passes the connection check at start', async () => {
    expect(idp.info.publicUrl).toBe(`http://login.localhost:${idp.port}`);
    expect(app.identityCheck).toMatchObject({ ok: true, fatal: false, problems: [] });
    const state = await inspector.state<ExternalState>();
    expect(state.identity).toMatchObject({ kind: 'fusionauth', publicUrl: idp.info.publicUrl, check: { ok: true, problems: [] } });
    expect(state.cookies.login).toBeUndefined();
  });

  it('walks every step of the seed, in order, with every identity-server call going to the other process', async () => {
    // 1–5
    expect((await browser.fetch(store('/'))).status).toBe(200);
    expect((await browser.fetch(store('/api/me'))).status).toBe(404);
    expect((await browser.fetch(store('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);

    // 6–10
    const bad = await browser.fetch(store('/api/login'), { json: { email: credentials.email, password: 'wrong' } });
    expect(bad.status).toBe(401);
    const login = await browser.fetch(store('/api/login'), { json: credentials });
    expect(login.status).toBe(200);
    expect(login.setCookies.some((c) => /^store_session=.*HttpOnly/i.test(c))).toBe(true);
    expect(login.setCookies.some((c) => /^store_refresh_token=.*HttpOnly/i.test(c))).toBe(true);
    const firstSession = (await cookie(store('/'), 'store_session'))!.value;
    // The refresh token lives in the other process.
    expect((await idp.state()).idp.refreshTokens).toHaveLength(1);

    // 11–13
    expect((await browser.fetch(store('/api/cart'))).status).toBe(200);

    // 14–18: only Loginscope's clock moves: the session is gone, the refresh token (at the identity server) is not.
    await inspector.advance(IDLE + 1);
    const refreshed = await browser.fetch(store('/api/cart'));
    expect(refreshed.status).toBe(200);
    expect((await cookie(store('/'), 'store_session'))!.value).not.toBe(firstSession);

    // 19–23: "later still" happens at both servers: each clock is moved through its own inspector API.
    await inspector.advance(REFRESH_MINUTES * 60 + 1);
    await idp.advance(IDLE + 1 + REFRESH_MINUTES * 60 + 1);
    expect((await browser.fetch(store('/api/cart'))).status).toBe(401);
    expect((await browser.fetch(store('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);
    expect((await browser.fetch(store('/api/login'), { json: credentials })).status).toBe(200);

    // 24–36
    expect((await browser.fetch(forum('/'))).status).toBe(200);
    expect((await browser.fetch(forum('/api/me'))).status).toBe(404);
    expect((await browser.fetch(forum('/api/ui-events'), { json: { view: 'login-form' } })).status).toBe(204);
    expect((await browser.fetch(forum('/api/login'), { json: credentials })).status).toBe(200);
    expect((await browser.fetch(forum('/api/posts'))).status).toBe(200);

    // 37–44
    const stolenRefresh = await inspector.attack('stolen-refresh-token');
    expect(stolenRefresh.status).toBe(200);
    expect(stolenRefresh.json<{ outcome: string }>()).toMatchObject({ outcome: expect.stringMatching(/cart.*new session/) });
    expect((await inspector.attack('stolen-session-cookie')).json<{ succeeded: boolean }>().succeeded).toBe(true);

    const state = await inspector.state<ExternalState>();
    const { order, unseen } = seenOrder(state);
    expect(unseen).toEqual([]);
    expect(order).toEqual(state.steps.map((s) => s.n));
    expect(state.steps).toHaveLength(44);
    // No step of this workflow is between the browser and the identity server, so all are observable here.
    expect(state.steps.every((s) => s.observable)).toBe(true);
  });

  it('traced every backend call as going to the external server, and nothing at login.localhost of its own', async () => {
    const { events } = (await inspector.get('/trace')).json<{ events: Array<{ type: string; actor?: string; origin?: string; url?: string; path?: string; status?: number }> }>();
    const identityCalls = events.filter((e) => e.type === 'exchange' && (e.actor === 'store-backend' || e.actor === 'forum-backend'));
    expect(identityCalls.length).toBeGreaterThanOrEqual(6);
    for (const call of identityCalls) {
      expect(call.origin).toBe('external');
      expect(call.url!.startsWith(`${idp.info.publicUrl}/`)).toBe(true);
    }
    expect(identityCalls.map((c) => `${c.path} ${c.status}`)).toEqual(expect.arrayContaining(['/api/login 200', '/api/login 404', '/api/jwt/refresh 200']));
    expect(identityCalls.some((c) => c.path === '/api/jwt/refresh' && (c.status === 404 || c.status === 400))).toBe(true);
    expect(events.some((e) => e.type === 'exchange' && e.origin === 'login')).toBe(false);
    // The main process does not serve login.localhost at all.
    expect((await new Browser().fetch(`http://login.localhost:${app.port}/.well-known/jwks.json`)).status).toBe(421);
    // Inspector controls that belong to the identity server are refused: it is not ours.
    expect((await inspector.expire({ kind: 'refresh-token' })).status).toBe(409);
  });
});
