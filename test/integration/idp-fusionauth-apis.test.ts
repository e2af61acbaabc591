import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isExchange } from '../../backend/trace/types.js';
import { formToken } from '../support/hosted-form.js';
import { Browser } from '../support/http.js';
import { InspectorClient, seedSteps, seenOrder } from '../support/inspector.js';
import { walkNativeRefresh } from '../support/native-refresh-walk.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const USER_ID = '00000000-0000-0000-0000-111111111111';
const DEMO = { loginId: 'demo@example.com', password: 'demo-password' };
const DEAD_BODY = {
  fieldErrors: { refreshToken: [{ code: '[invalid]refreshToken', message: 'The refresh token was not found or has expired.' }] },
  generalErrors: [],
};

interface Identity {
  apiKey: string;
  applications: { store: { id: string }; forum: { id: string } };
}

async function identityOf(app: TestLoginscope): Promise<Identity> {
  return (await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<Identity>();
}

interface LoginBody {
  token: string;
  refreshToken: string;
  refreshTokenId: string;
}

/** The Login API as a browser calling FusionAuth directly would: its access_token and refresh_token cookies land in the jar. */
async function login(app: TestLoginscope, identity: Identity, applicationId: string, browser = new Browser()): Promise<LoginBody> {
  const res = await browser.fetch(`${app.urls.login}/api/login`, { headers: { authorization: identity.apiKey }, json: { ...DEMO, applicationId } });
  expect(res.status).toBe(200);
  return res.json<LoginBody>();
}

const refresh = (app: TestLoginscope, refreshToken: string) => new Browser().fetch(`${app.urls.login}/api/jwt/refresh`, { json: { refreshToken } });

describe('FusionAuth APIs the third-party clients called: /api/logout, /api/jwt/issue', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let store: string;
  let forum: string;
  beforeAll(async () => {
    app = await startTestLoginscope();
    identity = await identityOf(app);
    store = identity.applications.store.id;
    forum = identity.applications.forum.id;
  });
  afterAll(() => app.stop());

  it('logout with the cookies: revokes the refresh_token cookie’s token, deletes both cookies, 200 with no body', async () => {
    const browser = new Browser();
    const session = await login(app, identity, store, browser);
    expect((await browser.cookies(app.urls.login)).map((c) => c.key).sort()).toEqual(['access_token', 'refresh_token']);
    const out = await browser.fetch(`${app.urls.login}/api/logout`, { method: 'POST' });
    expect(out.status).toBe(200);
    expect(out.text).toBe('');
    expect(out.setCookies.filter((c) => /^(access_token|refresh_token)=;/.test(c) && /Expires=Thu, 01 Jan 1970/.test(c))).toHaveLength(2);
    expect(await browser.cookies(app.urls.login)).toEqual([]);
    expect((await refresh(app, session.refreshToken)).status).toBe(404);
  });

  it('logout: the refreshToken parameter wins over the cookie, and only that token is revoked', async () => {
    const browser = new Browser();
    const inCookie = await login(app, identity, store, browser);
    const inBody = await login(app, identity, forum);
    const out = await browser.fetch(`${app.urls.login}/api/logout`, { json: { refreshToken: inBody.refreshToken } });
    expect(out.status).toBe(200);
    expect((await refresh(app, inBody.refreshToken)).status).toBe(404);
    expect((await refresh(app, inCookie.refreshToken)).status).toBe(200);
  });

  it('logout global=true (as the TypeScript client sends it, in the query): every refresh token of the owner and the SSO sessions', async () => {
    const a = await login(app, identity, store);
    const b = await login(app, identity, forum);
    // An SSO session of the same user, from the hosted form.
    const browser = new Browser();
    const authorize = `${app.urls.login}/oauth2/authorize?${new URLSearchParams({ client_id: store, redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 's' })}`;
    const page = await browser.fetch(authorize);
    const posted = await browser.fetch(`${app.urls.login}/oauth2/authorize`, {
      form: { csrfToken: formToken(page), ...DEMO, rememberDevice: 'true', client_id: store, redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 's' },
    });
    expect(posted.status).toBe(302);
    expect((await browser.fetch(authorize)).status).toBe(302);

    const out = await new Browser().fetch(`${app.urls.login}/api/logout?${new URLSearchParams({ global: 'true', refreshToken: a.refreshToken })}`, { method: 'POST' });
    expect(out.status).toBe(200);
    expect((await refresh(app, a.refreshToken)).status).toBe(404);
    expect((await refresh(app, b.refreshToken)).status).toBe(404);
    const live = await new Browser().fetch(`${app.urls.login}/api/jwt/refresh?userId=${USER_ID}`, { headers: { authorization: identity.apiKey } });
    expect(live.json<{ refreshTokens: unknown[] }>().refreshTokens).toEqual([]);
    // The SSO session ended too: the hosted form again.
    expect((await browser.fetch(authorize)).status).toBe(200);
  });

  it('logout with nothing to do is 200 and sets no cookie; a bad global is 400 with FusionAuth’s Errors', async () => {
    const none = await new Browser().fetch(`${app.urls.login}/api/logout`, { method: 'POST' });
    expect(none.status).toBe(200);
    expect(none.setCookies).toEqual([]);
    const unknown = await new Browser().fetch(`${app.urls.login}/api/logout`, { json: { refreshToken: 'no-such-token' } });
    expect(unknown.status).toBe(200);
    const bad = await new Browser().fetch(`${app.urls.login}/api/logout`, { json: { global: 'sometimes' } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ fieldErrors: { global: [{ code: '[couldNotConvert]global', message: expect.any(String) }] }, generalErrors: [] });
  });

  it('issue: a JWT for the forum from a store JWT, with the same expiration, JWT_SSO, and a forum refresh token from a store one', async () => {
    const session = await login(app, identity, store);
    const source = decodeJwt(session.token);
    const res = await new Browser().fetch(`${app.urls.login}/api/jwt/issue?${new URLSearchParams({ applicationId: forum, refreshToken: session.refreshToken })}`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(res.status).toBe(200);
    const body = res.json<{ token: string; refreshToken?: string }>();
    expect(Object.keys(body).sort()).toEqual(['refreshToken', 'token']);
    const issued = decodeJwt(body.token);
    expect(issued).toMatchObject({ aud: forum, applicationId: forum, roles: ['member'], sub: USER_ID, authenticationType: 'JWT_SSO', exp: source.exp, auth_time: source.auth_time });
    expect(issued.jti).not.toBe(source.jti);
    expect((await new Browser().fetch(`${app.urls.login}/api/jwt/validate`, { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(200);
    // The forum refresh token works, for the forum, and is not the store's.
    expect(body.refreshToken).not.toBe(session.refreshToken);
    const refreshed = await refresh(app, body.refreshToken!);
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.json<{ token: string }>().token).aud).toBe(forum);
  });

  it('issue: the refresh_token cookie wins over the parameter; no refresh token without a live one', async () => {
    const browser = new Browser();
    const session = await login(app, identity, store, browser);
    // The jar holds the access_token and refresh_token cookies: the JWT comes from the cookie too.
    const viaCookie = await browser.fetch(`${app.urls.login}/api/jwt/issue?${new URLSearchParams({ applicationId: forum, refreshToken: 'not-a-token' })}`);
    expect(viaCookie.status).toBe(200);
    expect(typeof viaCookie.json<{ refreshToken?: string }>().refreshToken).toBe('string');
    const noRefresh = await new Browser().fetch(`${app.urls.login}/api/jwt/issue?applicationId=${forum}`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(noRefresh.json()).toEqual({ token: expect.any(String) });
  });

  it('issue: 401 with no body without a valid JWT, 400 with FusionAuth’s Errors for a missing or bad applicationId', async () => {
    const session = await login(app, identity, store);
    const issue = (query: string, token?: string) => new Browser().fetch(`${app.urls.login}/api/jwt/issue${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const anonymous = await issue(`?applicationId=${forum}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toBe('');
    expect((await issue(`?applicationId=${forum}`, `${session.token}x`)).status).toBe(401);
    const missing = await issue('', session.token);
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({ fieldErrors: { applicationId: [{ code: '[missing]applicationId', message: expect.any(String) }] }, generalErrors: [] });
    expect((await issue('?applicationId=nope', session.token)).json()).toMatchObject({ fieldErrors: { applicationId: [{ code: '[couldNotConvert]applicationId' }] } });
    expect((await issue(`?applicationId=${randomUUID()}`, session.token)).json()).toMatchObject({ fieldErrors: { applicationId: [{ code: '[invalid]applicationId' }] } });
    app.clock.advance(301_000);
    expect((await issue(`?applicationId=${forum}`, session.token)).status).toBe(401);
  });
});

describe('a dead refresh token, in both modes', () => {
  it('400 mode: FusionAuth’s exact Errors object for an unknown, a revoked and an expired token', async () => {
    const app = await startTestLoginscope({ identity: { kind: 'embedded', deadRefreshTokenStatus: 400 } });
    try {
      const identity = await identityOf(app);
      const unknown = await refresh(app, 'no-such-refresh-token');
      expect(unknown.status).toBe(400);
      expect(unknown.headers['content-type']).toMatch(/^application\/json/);
      expect(unknown.json()).toEqual(DEAD_BODY);

      const revoked = await login(app, identity, identity.applications.store.id);
      expect((await new Browser().fetch(`${app.urls.login}/api/logout`, { json: { refreshToken: revoked.refreshToken } })).status).toBe(200);
      const afterLogout = await refresh(app, revoked.refreshToken);
      expect(afterLogout.status).toBe(400);
      expect(afterLogout.json()).toEqual(DEAD_BODY);

      const expiring = await login(app, identity, identity.applications.store.id);
      app.clock.advance(61 * 60_000);
      const expired = await refresh(app, expiring.refreshToken);
      expect(expired.status).toBe(400);
      expect(expired.json()).toEqual(DEAD_BODY);
    } finally {
      await app.stop();
    }
  });

  it('404 mode (the default, as the seed’s article draws it): 404 with no body', async () => {
    const app = await startTestLoginscope();
    try {
      const res = await refresh(app, 'no-such-refresh-token');
      expect(res.status).toBe(404);
      expect(res.text).toBe('');
    } finally {
      await app.stop();
    }
  });
});

describe.each(['Strict', 'Compatibility'] as const)('identity.scopeHandlingPolicy: %s', (policy) => {
  let app: TestLoginscope;
  let identity: Identity;
  beforeAll(async () => {
    app = await startTestLoginscope({ identity: { kind: 'embedded', scopeHandlingPolicy: policy } });
    identity = await identityOf(app);
  });
  afterAll(() => app.stop());

  it('email claims in Login-API access tokens only under Compatibility; the Application API reports the policy', async () => {
    const session = await login(app, identity, identity.applications.store.id);
    const claims = decodeJwt(session.token);
    expect(claims.sub).toBe(USER_ID);
    if (policy === 'Strict') expect(claims).not.toHaveProperty('email');
    else expect(claims).toMatchObject({ email: 'demo@example.com', email_verified: true });
    const application = await new Browser().fetch(`${app.urls.login}/api/application/${identity.applications.store.id}`, { headers: { authorization: identity.apiKey } });
    expect(application.json<{ application: { oauthConfiguration: { scopeHandlingPolicy: string } } }>().application.oauthConfiguration.scopeHandlingPolicy).toBe(policy);
    // Userinfo and a token without the openid scope (the Login API has none): refused under Strict only.
    const info = await new Browser().fetch(`${app.urls.login}/oauth2/userinfo`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(info.status).toBe(policy === 'Strict' ? 401 : 200);
    if (policy === 'Strict') expect(info.json()).toMatchObject({ error: 'invalid_token' });
    else expect(info.json()).toMatchObject({ sub: USER_ID, email: 'demo@example.com' });
  });

  it('native-refresh lights every step of the seed', async () => {
    const inspector = new InspectorClient(app);
    expect((await inspector.workflow('native-refresh')).status).toBe(200);
    await walkNativeRefresh({ store: app.urls.store, forum: app.urls.forum, inspector: (path, json) => inspector.post(path, json), idleSeconds: 600, refreshMinutes: 60 });
    const state = await inspector.state();
    expect(seenOrder(state).unseen).toEqual([]);
    expect(seedSteps(state)).toHaveLength(44);
    expect(state.sessions.store.some((s) => s.userEmail === 'demo@example.com')).toBe(true);
  });

  it('implicit-session lights every step, the start-session API knowing the user (from the User API under Strict)', async () => {
    const inspector = new InspectorClient(app);
    expect((await inspector.workflow('implicit-session')).status).toBe(200);
    const browser = new Browser();
    const startUp = async (origin: string) => {
      expect((await browser.fetch(`${origin}/`)).status).toBe(200);
      const info = (await browser.fetch(`${origin}/api/workflow`)).json<{ authorize: { url: string; clientId: string; redirectUri: string } }>();
      expect((await browser.fetch(`${origin}/api/me`)).status).toBe(404);
      return info;
    };
    const authorizeUrl = (info: { authorize: { url: string; clientId: string; redirectUri: string } }, state: string) =>
      `${info.authorize.url}?${new URLSearchParams({ client_id: info.authorize.clientId, redirect_uri: info.authorize.redirectUri, response_type: 'token', state, nonce: randomUUID() })}`;
    const land = async (location: string) => {
      const url = new URL(location);
      const token = new URLSearchParams(url.hash.slice(1)).get('access_token')!;
      url.hash = '';
      expect((await browser.fetch(url.toString())).status).toBe(200);
      const started = await browser.fetch(`${url.origin}/api/session`, { json: { token } });
      expect(started.status).toBe(200);
      expect(started.json<{ user: { email: string; fullName: string } }>().user.email).toBe('demo@example.com');
    };

    const storeInfo = await startUp(app.urls.store);
    const form = await browser.fetch(authorizeUrl(storeInfo, 's1'));
    const posted = await browser.fetch(`${app.urls.login}/oauth2/authorize`, {
      form: { csrfToken: formToken(form), ...DEMO, rememberDevice: 'true', client_id: storeInfo.authorize.clientId, redirect_uri: storeInfo.authorize.redirectUri, response_type: 'token', state: 's1' },
    });
    expect(posted.status).toBe(302);
    await land(posted.location!);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);
    await inspector.advance(601);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(401);
    const again = await browser.fetch(authorizeUrl(storeInfo, 's2'));
    expect(again.status).toBe(302);
    await land(again.location!);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);
    const forumInfo = await startUp(app.urls.forum);
    const forumSso = await browser.fetch(authorizeUrl(forumInfo, 's3'));
    expect(forumSso.status).toBe(302);
    await land(forumSso.location!);
    expect((await browser.fetch(`${app.urls.forum}/api/posts`)).status).toBe(200);
    expect((await inspector.attack('stolen-session-cookie')).json<{ succeeded: boolean }>().succeeded).toBe(true);

    const state = await inspector.state();
    expect(seenOrder(state).unseen).toEqual([]);
    expect(seedSteps(state)).toHaveLength(45);
    // Strict tokens name the user by sub only: the start-session API asked the User API for the email.
    const userCalls = app.bus.list().filter(isExchange).filter((e) => e.actor === 'store-backend' && e.path === `/api/user/${USER_ID}`);
    if (policy === 'Strict') expect(userCalls.map((e) => e.status)).toEqual([200, 200]);
    else expect(userCalls).toEqual([]);
  });
});
