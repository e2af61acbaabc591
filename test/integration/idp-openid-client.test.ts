import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localhostAgent } from '../../backend/localhost-dispatcher.js';
import { pageState } from '../support/hosted-form.js';
import { Browser, type HttpResponse } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

/**
 * The conformance run of issue 19: openid-client 6 (a certified OpenID relying party library) against the embedded
 * identity server, over real HTTP to 127.0.0.1. Node cannot resolve *.localhost here, so openid-client's requests go
 * through undici with the loopback lookup (its customFetch hook); the browser half is the hosted login form, posted
 * with its CSRF token from a cookie jar. What cannot pass (features the embedded server does not have) is named in
 * the README's compatibility notes, and asserted below as absent.
 */

const agent = localhostAgent();

/** openid-client's fetch, through undici to 127.0.0.1 with the real Host (login.localhost:port). */
const viaLoopback: oidc.CustomFetch = async (url, options) => {
  const body = options.body === undefined || options.body === null ? undefined : typeof options.body === 'string' ? options.body : options.body instanceof URLSearchParams ? options.body.toString() : Buffer.from(options.body as ArrayBuffer);
  const res = await request(url, { method: options.method as Dispatcher.HttpMethod, headers: options.headers, ...(body !== undefined && { body }), dispatcher: agent });
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const bytes = await res.body.arrayBuffer();
  return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : bytes, { status: res.statusCode, headers });
};

const USER_ID = '00000000-0000-0000-0000-111111111111';

/** FusionAuth 1.62's discovery keys (its documented example), and the ones the embedded server leaves out (README). */
const FUSIONAUTH_KEYS = [
  'authorization_endpoint',
  'backchannel_logout_supported',
  'claims_supported',
  'device_authorization_endpoint',
  'end_session_endpoint',
  'frontchannel_logout_supported',
  'grant_types_supported',
  'id_token_signing_alg_values_supported',
  'issuer',
  'jwks_uri',
  'response_modes_supported',
  'response_types_supported',
  'scopes_supported',
  'subject_types_supported',
  'token_endpoint',
  'token_endpoint_auth_methods_supported',
  'userinfo_endpoint',
  'userinfo_signing_alg_values_supported',
];
const LEFT_OUT = ['device_authorization_endpoint', 'frontchannel_logout_supported', 'userinfo_signing_alg_values_supported'];

describe('openid-client 6 against the embedded identity server', () => {
  let app: TestLoginscope;
  let storeId: string;
  let storeSecret: string;
  let redirectUri: string;
  /** A public client (PKCE, no secret), as the SPAs are. */
  let publicClient: oidc.Configuration;
  /** The store as a confidential client: HTTP Basic, and client_secret_post. */
  let basicClient: oidc.Configuration;
  let postClient: oidc.Configuration;
  const sso = new Browser();

  const discover = (auth: oidc.ClientAuth, metadata: Partial<oidc.ClientMetadata> = {}) =>
    oidc.discovery(new URL(app.urls.login), storeId, metadata, auth, { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: viaLoopback });

  /** The hosted form, as a person fills it in: the page, then its form with the CSRF token and the hidden OAuth fields. */
  async function logIn(browser: Browser, url: URL): Promise<HttpResponse> {
    const page = await browser.fetch(url.toString());
    if (page.status === 302) return page; // the SSO session answered at once
    expect(page.status).toBe(200);
    const state = pageState(page);
    expect(state.kind).toBe('login');
    const posted = await browser.fetch(`${app.urls.login}/oauth2/authorize`, {
      form: { ...state.hidden, csrfToken: state.csrfToken!, loginId: 'demo@example.com', password: 'demo-password', rememberDevice: 'true' },
    });
    expect(posted.status).toBe(302);
    return posted;
  }

  beforeAll(async () => {
    app = await startTestLoginscope();
    const inspector = new Browser();
    const identity = (await inspector.fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<{
      apiKey: string;
      applications: { store: { id: string } };
    }>();
    storeId = identity.applications.store.id;
    // The client secret, as a FusionAuth admin reads it: the Application API with the API key.
    const application = (await inspector.fetch(`${app.urls.login}/api/application/${storeId}`, { headers: { authorization: identity.apiKey } })).json<{
      application: { oauthConfiguration: { clientSecret: string } };
    }>();
    storeSecret = application.application.oauthConfiguration.clientSecret;
    redirectUri = `${app.urls.store}/oauth-redirect`;
    publicClient = await discover(oidc.None());
    basicClient = await discover(oidc.ClientSecretBasic(storeSecret));
    postClient = await discover(oidc.ClientSecretPost(storeSecret));
  });
  afterAll(() => app.stop());

  it('discovery: the issuer and endpoints, with FusionAuth’s keys and values where the feature is there', () => {
    const meta = publicClient.serverMetadata();
    expect(meta.issuer).toBe(app.urls.login);
    expect(meta).toMatchObject({
      authorization_endpoint: `${app.urls.login}/oauth2/authorize`,
      token_endpoint: `${app.urls.login}/oauth2/token`,
      userinfo_endpoint: `${app.urls.login}/oauth2/userinfo`,
      jwks_uri: `${app.urls.login}/.well-known/jwks.json`,
      end_session_endpoint: `${app.urls.login}/oauth2/logout`,
      introspection_endpoint: `${app.urls.login}/oauth2/introspect`,
      response_types_supported: ['code', 'id_token', 'token id_token'],
      grant_types_supported: ['authorization_code', 'password', 'implicit', 'refresh_token'],
      response_modes_supported: ['fragment', 'query'],
      scopes_supported: ['openid', 'offline_access'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      id_token_signing_alg_values_supported: ['RS256'],
      backchannel_logout_supported: false,
    });
    const keys = Object.keys(meta).sort();
    expect(keys).toEqual([...FUSIONAUTH_KEYS.filter((k) => !LEFT_OUT.includes(k)), 'introspection_endpoint'].sort());
  });

  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

  it('authorization code + PKCE (S256): the code is exchanged and the id token validated (signature by JWKS, iss, aud, nonce, exp)', async () => {
    const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(publicClient, {
      redirect_uri: redirectUri,
      scope: 'openid email profile offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const answer = await logIn(sso, url);
    expect(answer.location!.startsWith(`${redirectUri}?`)).toBe(true);
    tokens = await oidc.authorizationCodeGrant(publicClient, new URL(answer.location!), { pkceCodeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(300);
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: app.urls.login, aud: storeId, sub: USER_ID, nonce, email: 'demo@example.com', given_name: 'Demo' });
    // Strict scope handling (the default): the access token names the user by sub only.
    const access = decodeJwt(tokens.access_token);
    expect(access.sub).toBe(USER_ID);
    expect(access.email).toBeUndefined();
  });

  it('a code from another flow is refused: wrong PKCE verifier', async () => {
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(publicClient, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state,
    });
    const answer = await logIn(sso, url);
    await expect(oidc.authorizationCodeGrant(publicClient, new URL(answer.location!), { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state })).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('userinfo: the claims of the granted scopes, for the id token’s subject', async () => {
    const info = await oidc.fetchUserInfo(publicClient, tokens.access_token, USER_ID);
    expect(info).toMatchObject({ sub: USER_ID, email: 'demo@example.com', email_verified: true, given_name: 'Demo', family_name: 'User' });
    await expect(oidc.fetchUserInfo(publicClient, tokens.access_token, '00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      code: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
      message: expect.stringMatching(/JSON attribute/),
    });
  });

  it('refresh: a new access token and id token for the same subject, the same refresh token (Reusable)', async () => {
    const refreshed = await oidc.refreshTokenGrant(publicClient, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.claims()).toMatchObject({ sub: USER_ID, aud: storeId, iss: app.urls.login });
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ authenticationType: 'REFRESH_TOKEN', sub: USER_ID });
  });

  it('introspection with client authentication (HTTP Basic and client_secret_post): active and the token’s claims', async () => {
    for (const client of [basicClient, postClient]) {
      const answer = await oidc.tokenIntrospection(client, tokens.access_token);
      expect(answer).toMatchObject({ active: true, sub: USER_ID, aud: storeId, iss: app.urls.login, scope: 'openid email profile offline_access', tid: expect.any(String) });
      expect(answer.exp).toBe(decodeJwt(tokens.access_token).exp);
    }
    const idToken = await oidc.tokenIntrospection(basicClient, tokens.id_token!, { token_type_hint: 'id_token' });
    expect(idToken).toMatchObject({ active: true, sub: USER_ID, nonce: expect.any(String) });
    expect(await oidc.tokenIntrospection(basicClient, tokens.id_token!, { token_type_hint: 'access_token' })).toEqual({ active: false });
    const refresh = await oidc.tokenIntrospection(basicClient, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(refresh.active).toBe(true);
    expect(refresh.exp).toBeGreaterThan(app.clock.now());
    expect(await oidc.tokenIntrospection(basicClient, 'not-a-token')).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(basicClient, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('introspection refuses a client without its secret, or with a wrong one (401 invalid_client)', async () => {
    await expect(oidc.tokenIntrospection(publicClient, tokens.access_token)).rejects.toMatchObject({ status: 401, error: 'invalid_client' });
    const wrong = await discover(oidc.ClientSecretBasic('not-the-secret'));
    await expect(oidc.tokenIntrospection(wrong, tokens.access_token)).rejects.toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('implicit `token`: the access token in the fragment with the state; no openid scope, so Strict userinfo refuses it', async () => {
    const state = oidc.randomState();
    const answer = await logIn(sso, oidc.buildAuthorizationUrl(publicClient, { redirect_uri: redirectUri, response_type: 'token', state }));
    const fragment = new URLSearchParams(new URL(answer.location!).hash.slice(1));
    expect(fragment.get('state')).toBe(state);
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('iss')).toBe(app.urls.login);
    const accessToken = fragment.get('access_token')!;
    expect(await oidc.tokenIntrospection(basicClient, accessToken)).toMatchObject({ active: true, sub: USER_ID, aud: storeId });
    await expect(oidc.fetchUserInfo(publicClient, accessToken, USER_ID)).rejects.toMatchObject({ status: 401 });
  });

  it('implicit `id_token token`: the id token validated by implicitAuthentication (nonce, state, signature), its at_hash binds the access token', async () => {
    const implicitClient = await discover(oidc.None());
    oidc.useIdTokenResponseType(implicitClient);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(implicitClient, { redirect_uri: redirectUri, response_type: 'id_token token', scope: 'openid email', state, nonce });
    const answer = await logIn(sso, url);
    const landed = new URL(answer.location!);
    const claims = await oidc.implicitAuthentication(implicitClient, landed, nonce, { expectedState: state });
    expect(claims).toMatchObject({ sub: USER_ID, aud: storeId, nonce, email: 'demo@example.com' });
    const accessToken = new URLSearchParams(landed.hash.slice(1)).get('access_token')!;
    const digest = createHash('sha256').update(accessToken).digest();
    expect(claims.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    expect(await oidc.fetchUserInfo(publicClient, accessToken, USER_ID)).toMatchObject({ sub: USER_ID, email: 'demo@example.com' });
    await expect(oidc.implicitAuthentication(implicitClient, landed, 'another-nonce', { expectedState: state })).rejects.toMatchObject({
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      message: expect.stringMatching(/JWT claim/),
    });
  });

  it('end-session: buildEndSessionUrl with id_token_hint ends the SSO session and returns to the registered URL with the state', async () => {
    const state = randomUUID();
    const out = await sso.fetch(oidc.buildEndSessionUrl(publicClient, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: redirectUri, state }).toString());
    expect(out.status).toBe(302);
    expect(out.location).toBe(`${redirectUri}?state=${state}`);
    expect(out.setCookies.some((c) => c.startsWith('fusionauth.sso=;'))).toBe(true);
    const again = await sso.fetch(oidc.buildAuthorizationUrl(publicClient, { redirect_uri: redirectUri, response_type: 'token', state: 's' }).toString());
    expect(again.status).toBe(200);
    expect(pageState(again).kind).toBe('login');
  });

  it('introspection says active: false once the access token expires (the one clock) and once the refresh token is revoked', async () => {
    const logout = await new Browser().fetch(`${app.urls.login}/api/logout`, { json: { refreshToken: tokens.refresh_token } });
    expect(logout.status).toBe(200);
    expect(await oidc.tokenIntrospection(basicClient, tokens.refresh_token!, { token_type_hint: 'refresh_token' })).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(publicClient, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(basicClient, tokens.access_token)).active).toBe(true);
    app.clock.advance(301_000);
    expect(await oidc.tokenIntrospection(basicClient, tokens.access_token)).toEqual({ active: false });
  });
});
