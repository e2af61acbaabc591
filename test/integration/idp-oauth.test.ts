import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localhostAgent } from '../../backend/localhost-dispatcher.js';
import { Browser } from '../support/http.js';
import { pageState } from '../support/hosted-form.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

interface Identity {
  apiKey: string;
  applications: { store: { id: string }; forum: { id: string } };
}

const USER_ID = '00000000-0000-0000-0000-111111111111';

function fragment(location: string | undefined): URLSearchParams {
  expect(location).toContain('#');
  return new URLSearchParams(location!.split('#')[1]);
}

describe('OAuth front end of the embedded identity server', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let store: string;
  let forum: string;
  let storeRedirect: string;
  let forumRedirect: string;

  beforeAll(async () => {
    app = await startTestLoginscope();
    identity = (await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<Identity>();
    store = identity.applications.store.id;
    forum = identity.applications.forum.id;
    storeRedirect = `${app.urls.store}/oauth-redirect`;
    forumRedirect = `${app.urls.forum}/oauth-redirect`;
  });
  afterAll(() => app.stop());

  const authorizeUrl = (params: Record<string, string>) => `${app.urls.login}/oauth2/authorize?${new URLSearchParams(params)}`;
  const implicit = (clientId = store, redirect = storeRedirect, extra: Record<string, string> = {}) =>
    authorizeUrl({ client_id: clientId, redirect_uri: redirect, response_type: 'token', state: 'st-1', ...extra });

  async function logIn(browser: Browser, url: string, options: { password?: string; remember?: boolean } = {}) {
    const page = await browser.fetch(url);
    expect(page.status).toBe(200);
    const state = pageState(page);
    expect(state.kind).toBe('login');
    return browser.fetch(`${app.urls.login}/oauth2/authorize`, {
      form: { ...state.hidden, csrfToken: state.csrfToken!, loginId: 'demo@example.com', password: options.password ?? 'demo-password', ...(options.remember !== false && { rememberDevice: 'true' }) },
    });
  }

  it('implicit grant: form, then a 302 with the token in the fragment and an SSO cookie', async () => {
    const browser = new Browser();
    const page = await browser.fetch(implicit());
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(pageState(page).hidden).toMatchObject({ client_id: store, redirect_uri: storeRedirect, response_type: 'token', state: 'st-1' });

    const res = await logIn(browser, implicit());
    expect(res.status).toBe(302);
    expect(res.location!.startsWith(`${storeRedirect}#`)).toBe(true);
    const f = fragment(res.location);
    expect([...f.keys()]).toEqual(['access_token', 'expires_in', 'iss', 'state', 'token_type', 'userState']);
    expect(f.get('expires_in')).toBe('300');
    expect(f.get('token_type')).toBe('Bearer');
    expect(f.get('state')).toBe('st-1');
    expect(f.get('userState')).toBe('Authenticated');
    expect(f.get('iss')).toBe(app.urls.login);

    const jwks = createRemoteJWKSet(new URL(`${app.urls.login}/.well-known/jwks.json`), {
      [customFetch]: async (url: string) => {
        const r = await request(url, { dispatcher: localhostAgent() });
        return new Response(await r.body.text(), { status: r.statusCode, headers: { 'content-type': 'application/json' } });
      },
    });
    const { payload, protectedHeader } = await jwtVerify(f.get('access_token')!, jwks, { issuer: app.urls.login, audience: store, currentDate: new Date(app.clock.now()) });
    expect(payload.sub).toBe(USER_ID);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', gty: ['implicit'] });

    const sso = res.setCookies.find((c) => c.startsWith('fusionauth.sso='));
    expect(sso).toMatch(/HttpOnly/);
    expect(sso).toMatch(/SameSite=Lax/);
    expect(sso).toMatch(/Path=\//);
    expect(sso).not.toMatch(/Domain=/i);
    expect(sso).not.toMatch(/Secure/);
    expect(res.setCookies.some((c) => c.startsWith('access_token=') || c.startsWith('refresh_token='))).toBe(false);
  });

  it('reuses the SSO session: the next authorize (another app) redirects at once, until the session times out', async () => {
    const browser = new Browser();
    await logIn(browser, implicit());
    const again = await browser.fetch(implicit(forum, forumRedirect));
    expect(again.status).toBe(302);
    expect(decodeJwt(fragment(again.location).get('access_token')!).aud).toBe(forum);
    const reused = app.bus.list().filter((e) => e.type === 'idp.sso.reused').at(-1);
    expect(reused).toMatchObject({ system: 'idp', data: { app: 'forum', userId: USER_ID } });

    app.clock.advance(3600_000);
    const later = await browser.fetch(implicit());
    expect(later.status).toBe(200);
    expect(pageState(later).kind).toBe('login');
  });

  it('keeps no SSO session when "Keep me signed in" is unchecked', async () => {
    const browser = new Browser();
    const res = await logIn(browser, implicit(), { remember: false });
    expect(res.status).toBe(302);
    expect(res.setCookies.some((c) => c.startsWith('fusionauth.sso='))).toBe(false);
    expect((await browser.fetch(implicit())).status).toBe(200);
  });

  it('re-renders the form with 200 and a clear message for a bad password', async () => {
    const res = await logIn(new Browser(), implicit(), { password: 'wrong' });
    expect(res.status).toBe(200);
    const state = pageState(res);
    expect(state.error).toMatch(/Invalid login credentials/);
    expect(state.loginId).toBe('demo@example.com');
    expect(state.hidden?.client_id).toBe(store);
  });

  it.each([
    ['a redirect URI that is not registered', { redirect_uri: 'http://attacker.localhost/steal' }, 'invalid_redirect_uri'],
    ['another app’s redirect URI', { redirect_uri: 'FORUM' }, 'invalid_redirect_uri'],
    ['an unknown client', { client_id: '11111111-2222-3333-4444-555555555555' }, 'invalid_client_id'],
    ['no redirect URI', { redirect_uri: '' }, 'missing_redirect_uri'],
    ['no client', { client_id: '' }, 'missing_client_id'],
  ])('shows an error page, never a redirect, for %s', async (_label, override, reason) => {
    const params: Record<string, string> = { client_id: store, redirect_uri: storeRedirect, response_type: 'token', state: 's' };
    for (const [k, v] of Object.entries(override)) params[k] = v === 'FORUM' ? forumRedirect : v;
    const res = await new Browser().fetch(authorizeUrl(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''))));
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/html/);
    expect(pageState(res)).toMatchObject({ kind: 'error', errorReason: reason });
    expect(res.text).toContain('This login request cannot continue');
  });

  it('sends other errors back to the app, in the fragment for the implicit grant', async () => {
    const res = await new Browser().fetch(implicit(store, storeRedirect, { scope: 'openid' }));
    expect(res.status).toBe(302);
    const f = fragment(res.location);
    expect(f.get('error')).toBe('unsupported_response_type');
    expect(f.get('error_reason')).toBe('invalid_response_type');
    expect(f.get('state')).toBe('st-1');
    const bogus = await new Browser().fetch(implicit(store, storeRedirect, { response_type: 'bogus' }));
    expect(bogus.location).toMatch(/[?&]error=unsupported_response_type/);
    const mode = await new Browser().fetch(implicit(store, storeRedirect, { response_mode: 'query' }));
    expect(fragment(mode.location).get('error_reason')).toBe('invalid_response_mode');
  });

  it('issues an id token with the nonce for "id_token token"', async () => {
    const browser = new Browser();
    const res = await logIn(browser, implicit(store, storeRedirect, { response_type: 'id_token token', scope: 'openid email', nonce: 'n-42' }));
    const f = fragment(res.location);
    const id = decodeJwt(f.get('id_token')!);
    expect(id).toMatchObject({ aud: store, nonce: 'n-42', sub: USER_ID, email: 'demo@example.com' });
    expect(typeof id.at_hash).toBe('string');
    expect(typeof id.sid).toBe('string');
    expect(f.get('scope')).toBe('openid email');
  });

  it('authorization code with PKCE S256: code in the query, exchanged once at the token endpoint', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const browser = new Browser();
    const res = await logIn(
      browser,
      authorizeUrl({ client_id: store, redirect_uri: storeRedirect, response_type: 'code', scope: 'openid offline_access', state: 'c1', code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    expect(res.status).toBe(302);
    const url = new URL(res.location!);
    expect(url.hash).toBe('');
    const code = url.searchParams.get('code')!;
    expect(url.searchParams.get('state')).toBe('c1');

    const token = (form: Record<string, string>) => new Browser().fetch(`${app.urls.login}/oauth2/token`, { form });
    const wrong = await token({ grant_type: 'authorization_code', code, client_id: store, redirect_uri: storeRedirect, code_verifier: 'x'.repeat(43) });
    expect(wrong.status).toBe(400);
    expect(wrong.json<{ error: string; error_reason: string }>()).toMatchObject({ error: 'invalid_grant' });

    // The failed attempt spent the code (single use), so log in again for a fresh one.
    const again = await browser.fetch(
      authorizeUrl({ client_id: store, redirect_uri: storeRedirect, response_type: 'code', scope: 'openid offline_access', code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    expect(again.status).toBe(302);
    const code2 = new URL(again.location!).searchParams.get('code')!;
    const ok = await token({ grant_type: 'authorization_code', code: code2, client_id: store, redirect_uri: storeRedirect, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const body = ok.json<Record<string, unknown>>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'openid offline_access', userId: USER_ID });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.id_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    expect(decodeProtectedHeader(body.access_token as string).gty).toEqual(['authorization_code']);

    const replay = await token({ grant_type: 'authorization_code', code: code2, client_id: store, redirect_uri: storeRedirect, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expect(replay.json<{ error_reason: string }>().error_reason).toBe('auth_code_not_found');

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token as string, client_id: store });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json<Record<string, unknown>>()).toMatchObject({ refresh_token: body.refresh_token, refresh_token_id: body.refresh_token_id });
    const otherClient = await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token as string, client_id: forum });
    expect(otherClient.json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('requires a PKCE challenge for the code flow (error page)', async () => {
    const res = await new Browser().fetch(authorizeUrl({ client_id: store, redirect_uri: storeRedirect, response_type: 'code' }));
    expect(res.status).toBe(400);
    expect(pageState(res).errorReason).toBe('missing_code_challenge');
    const plain = await new Browser().fetch(authorizeUrl({ client_id: store, redirect_uri: storeRedirect, response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
    expect(pageState(plain).errorReason).toBe('invalid_code_challenge_method');
  });

  it('logout ends the SSO session (not the refresh tokens) and returns to an authorized URL', async () => {
    const browser = new Browser();
    await logIn(browser, implicit());
    const out = await browser.fetch(`${app.urls.login}/oauth2/logout?${new URLSearchParams({ client_id: store, post_logout_redirect_uri: storeRedirect, state: 'bye' })}`);
    expect(out.status).toBe(302);
    expect(out.location).toBe(`${storeRedirect}?state=bye`);
    expect(out.setCookies.some((c) => c.startsWith('fusionauth.sso=;'))).toBe(true);
    expect((await browser.fetch(implicit())).status).toBe(200);
    const bad = await browser.fetch(`${app.urls.login}/oauth2/logout?${new URLSearchParams({ client_id: store, post_logout_redirect_uri: 'http://attacker.localhost/' })}`);
    expect(bad.status).toBe(400);
    const plain = await browser.fetch(`${app.urls.login}/oauth2/logout?client_id=${store}`);
    expect(plain.location).toBe(`${app.urls.store}/`);
  });

  it('userinfo answers for a valid access token and 401 otherwise', async () => {
    // Strict scope handling (the default): the access token needs the openid scope.
    const res = await logIn(new Browser(), implicit(store, storeRedirect, { response_type: 'id_token token', scope: 'openid email profile', nonce: 'n-1' }));
    const token = fragment(res.location).get('access_token')!;
    const info = await new Browser().fetch(`${app.urls.login}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({ sub: USER_ID, email: 'demo@example.com', given_name: 'Demo' });
    expect((await new Browser().fetch(`${app.urls.login}/oauth2/userinfo`)).status).toBe(401);
  });

  it('publishes the OpenID configuration without plain `token` among response types', async () => {
    const doc = (await new Browser().fetch(`${app.urls.login}/.well-known/openid-configuration`)).json<Record<string, unknown>>();
    expect(doc).toMatchObject({ issuer: app.urls.login, authorization_endpoint: `${app.urls.login}/oauth2/authorize`, jwks_uri: `${app.urls.login}/.well-known/jwks.json` });
    expect(doc.response_types_supported).not.toContain('token');
  });

  it('emits the trace events the workflows step on, with ids to link them', async () => {
    await logIn(new Browser(), implicit());
    const types = app.bus.list().map((e) => e.type);
    for (const t of ['idp.login.succeeded', 'idp.sso.created', 'idp.token.issued', 'idp.redirect.issued', 'idp.login.failed']) expect(types).toContain(t);
    const redirect = app.bus.list().filter((e) => e.type === 'idp.redirect.issued').at(-1);
    expect(redirect).toMatchObject({ data: { app: 'store', userId: USER_ID, ssoSessionId: expect.any(String), jti: expect.any(String) }, correlationId: expect.any(Number) });
  });
});
