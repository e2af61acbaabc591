/** Bad input on every endpoint of the embedded identity server: a clear 4xx each time, and it keeps serving. */
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

interface Identity {
  apiKey: string;
  applications: { store: { id: string } };
}

const USER_ID = '00000000-0000-0000-0000-111111111111';
const BIG = 'x'.repeat(70 * 1024);

describe('bad input to the identity server', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let http: Browser;
  let goodToken: string;

  beforeAll(async () => {
    app = await startTestLoginscope();
    http = new Browser();
    identity = (await http.fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<Identity>();
    const login = await http.fetch(`${app.urls.login}/api/login`, {
      headers: { authorization: identity.apiKey },
      json: { loginId: 'demo@example.com', password: 'demo-password', applicationId: identity.applications.store.id, noJWT: false },
    });
    goodToken = login.json<{ token: string }>().token;
  });
  afterAll(() => app.stop());

  const url = (path: string) => `${app.urls.login}${path}`;
  const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
    new Browser().fetch(url(path), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  describe('Login API', () => {
    const key = () => ({ authorization: identity.apiKey });
    it('malformed JSON: 400 in FusionAuth’s error shape', async () => {
      const res = await raw('/api/login', '{"loginId": ', key());
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ generalErrors: [{ code: '[invalidJSON]' }] });
    });
    it('oversized body: 413', async () => {
      const res = await raw('/api/login', JSON.stringify({ loginId: BIG, password: 'p' }), key());
      expect(res.status).toBe(413);
    });
    it('not an object, or fields of the wrong type: 400 fieldErrors', async () => {
      for (const body of ['[]', '{"loginId": 42, "password": true}', '{}']) {
        const res = await raw('/api/login', body, key());
        expect(res.status).toBe(400);
        expect(Object.keys(res.json<{ fieldErrors: object }>().fieldErrors)).toEqual(['loginId', 'password']);
      }
    });
    it('an applicationId that is no UUID or no application: 400 fieldErrors', async () => {
      const bad = await raw('/api/login', JSON.stringify({ loginId: 'demo@example.com', password: 'demo-password', applicationId: 'store' }), key());
      expect(bad.json()).toMatchObject({ fieldErrors: { applicationId: [{ code: '[couldNotConvert]applicationId' }] } });
      const unknown = await raw('/api/login', JSON.stringify({ loginId: 'demo@example.com', password: 'demo-password', applicationId: '11111111-2222-3333-4444-555555555555' }), key());
      expect(unknown.json()).toMatchObject({ fieldErrors: { applicationId: [{ code: '[invalid]applicationId' }] } });
    });
    it('no API key, a Bearer-prefixed key, or another tenant: 401, 401, 400', async () => {
      expect((await raw('/api/login', '{}')).status).toBe(401);
      expect((await raw('/api/login', '{}', { authorization: `Bearer ${identity.apiKey}` })).status).toBe(401);
      const tenant = await raw('/api/login', '{"loginId":"a","password":"b"}', { ...key(), 'x-fusionauth-tenantid': '11111111-2222-3333-4444-555555555555' });
      expect(tenant.status).toBe(400);
    });
    it('noJWT: no token and no cookies', async () => {
      const res = await raw('/api/login', JSON.stringify({ loginId: 'demo@example.com', password: 'demo-password', applicationId: identity.applications.store.id, noJWT: true }), key());
      expect(res.status).toBe(200);
      expect(res.json()).not.toHaveProperty('token');
      expect(res.setCookies).toEqual([]);
    });
  });

  describe('Refresh API', () => {
    it('malformed JSON 400, missing token 400 [missing]refreshToken, oversized 413, bad TTL 400', async () => {
      expect((await raw('/api/jwt/refresh', '{oops')).status).toBe(400);
      const missing = await raw('/api/jwt/refresh', '{}');
      expect(missing.status).toBe(400);
      expect(missing.json()).toMatchObject({ fieldErrors: { refreshToken: [{ code: '[missing]refreshToken' }] } });
      expect((await raw('/api/jwt/refresh', JSON.stringify({ refreshToken: BIG }))).status).toBe(413);
      const ttl = await raw('/api/jwt/refresh', JSON.stringify({ refreshToken: 'x', timeToLiveInSeconds: 99_999 }));
      expect(ttl.json()).toMatchObject({ fieldErrors: { timeToLiveInSeconds: [{ code: '[invalid]timeToLiveInSeconds' }] } });
    });
    it('takes the refresh_token cookie over the body', async () => {
      const login = await raw('/api/login', JSON.stringify({ loginId: 'demo@example.com', password: 'demo-password', applicationId: identity.applications.store.id }), { authorization: identity.apiKey });
      const { refreshToken } = login.json<{ refreshToken: string }>();
      const withCookie = await raw('/api/jwt/refresh', JSON.stringify({ refreshToken: 'stale-body-value' }), { cookie: `refresh_token=${refreshToken}` });
      expect(withCookie.status).toBe(200);
      const staleCookie = await raw('/api/jwt/refresh', JSON.stringify({ refreshToken }), { cookie: 'refresh_token=stale-cookie' });
      expect(staleCookie.status).toBe(404);
    });
  });

  describe('JWTs the server did not issue or no longer accepts (validate and userinfo)', () => {
    async function forged() {
      const other = await generateKeyPair('RS256');
      const kid = (await exportJWK(other.publicKey)).n!.slice(0, 8);
      const now = Math.floor(app.clock.now() / 1000);
      const claims = { sub: USER_ID, aud: identity.applications.store.id, iss: app.urls.login };
      return {
        none: new UnsecuredJWT(claims).setExpirationTime(now + 300).encode(),
        hmac: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now + 300).sign(new TextEncoder().encode(identity.apiKey)),
        wrongKey: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setExpirationTime(now + 300).sign(other.privateKey),
        wrongIssuer: await new SignJWT({ ...claims, iss: 'http://evil.localhost' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime(now + 300).sign(other.privateKey),
        garbage: 'not.a.jwt',
      };
    }
    it.each(['none', 'hmac', 'wrongKey', 'wrongIssuer', 'garbage'] as const)('%s: 401', async (kind) => {
      const jwt = (await forged())[kind];
      for (const path of ['/api/jwt/validate', '/oauth2/userinfo']) {
        const res = await new Browser().fetch(url(path), { headers: { authorization: `Bearer ${jwt}` } });
        expect(res.status).toBe(401);
      }
    });
    it('an expired token: 401 once the clock passes exp; no token at all: 401', async () => {
      expect((await new Browser().fetch(url('/api/jwt/validate'), { headers: { authorization: `Bearer ${goodToken}` } })).status).toBe(200);
      app.clock.advance(301_000);
      expect((await new Browser().fetch(url('/api/jwt/validate'), { headers: { authorization: `Bearer ${goodToken}` } })).status).toBe(401);
      expect((await new Browser().fetch(url('/api/jwt/validate'))).status).toBe(401);
    });
  });

  describe('refresh token and user APIs', () => {
    const key = () => ({ authorization: identity.apiKey });
    it('retrieve: 401 without key, 400 without or with a bad userId, 404 for an unknown id', async () => {
      expect((await new Browser().fetch(url(`/api/jwt/refresh?userId=${USER_ID}`))).status).toBe(401);
      expect((await new Browser().fetch(url('/api/jwt/refresh'), { headers: key() })).status).toBe(400);
      expect((await new Browser().fetch(url('/api/jwt/refresh?userId=bob'), { headers: key() })).json()).toMatchObject({ fieldErrors: { userId: [{ code: '[couldNotConvert]userId' }] } });
      expect((await new Browser().fetch(url('/api/jwt/refresh/11111111-2222-3333-4444-555555555555'), { headers: key() })).status).toBe(404);
    });
    it('revoke: 401 without key, 400 without criteria, 404 for an unknown id or value, 400 for malformed JSON', async () => {
      expect((await new Browser().fetch(url('/api/jwt/refresh/x'), { method: 'DELETE' })).status).toBe(401);
      expect((await new Browser().fetch(url('/api/jwt/refresh'), { method: 'DELETE', headers: key() })).status).toBe(400);
      expect((await new Browser().fetch(url('/api/jwt/refresh/11111111-2222-3333-4444-555555555555'), { method: 'DELETE', headers: key() })).status).toBe(404);
      expect((await new Browser().fetch(url('/api/jwt/refresh?token=nope'), { method: 'DELETE', headers: key() })).status).toBe(404);
      expect((await new Browser().fetch(url('/api/jwt/refresh'), { method: 'DELETE', headers: { ...key(), 'content-type': 'application/json' }, body: '{x' })).status).toBe(400);
    });
    it('user: 401 without key, 400 for a bad or missing query, 404 for nobody', async () => {
      expect((await new Browser().fetch(url(`/api/user/${USER_ID}`))).status).toBe(401);
      expect((await new Browser().fetch(url(`/api/user/${USER_ID}`), { headers: { authorization: `Bearer ${goodToken}` } })).status).toBe(401);
      expect((await new Browser().fetch(url('/api/user?userId=nope'), { headers: key() })).status).toBe(400);
      expect((await new Browser().fetch(url('/api/user'), { headers: key() })).status).toBe(400);
      expect((await new Browser().fetch(url('/api/user?email=nobody@example.com'), { headers: key() })).status).toBe(404);
      expect((await new Browser().fetch(url('/api/user/not-a-uuid'), { headers: key() })).status).toBe(404);
    });
    it('an unknown API: 404', async () => {
      expect((await new Browser().fetch(url('/api/nothing-here'), { headers: key() })).status).toBe(404);
    });
  });

  describe('OAuth endpoints', () => {
    const token = (body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) =>
      new Browser().fetch(url('/oauth2/token'), { method: 'POST', body, headers });
    it('token: JSON body, missing or unknown grant, unknown client, wrong secret, oversized', async () => {
      expect((await token('{"grant_type":"password"}', { 'content-type': 'application/json' })).json()).toMatchObject({ error: 'invalid_request' });
      expect((await token('')).json()).toMatchObject({ error: 'invalid_request', error_reason: 'missing_grant_type' });
      expect((await token('grant_type=magic')).json()).toMatchObject({ error: 'unsupported_grant_type' });
      const unknown = await token('grant_type=refresh_token&refresh_token=x&client_id=11111111-2222-3333-4444-555555555555');
      expect(unknown.status).toBe(401);
      const wrongSecret = await token(`grant_type=password&username=demo%40example.com&password=demo-password&client_id=${identity.applications.store.id}&client_secret=nope`);
      expect(wrongSecret.status).toBe(401);
      expect((await token(`grant_type=password&username=${BIG}`)).status).toBe(413);
    });
    it('token: a dead refresh token is 400 invalid_grant', async () => {
      const res = await token(`grant_type=refresh_token&refresh_token=dead&client_id=${identity.applications.store.id}`);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_grant', error_reason: 'refresh_token_not_found' });
    });
    it('authorize form: oversized 413, no OAuth fields an error page', async () => {
      expect((await new Browser().fetch(url('/oauth2/authorize'), { method: 'POST', body: `loginId=${BIG}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(413);
      const noClient = await new Browser().fetch(url('/oauth2/authorize'), { form: { loginId: 'demo@example.com', password: 'demo-password' } });
      expect(noClient.status).toBe(400);
    });
  });

  it('still serves after all of that', async () => {
    expect((await new Browser().fetch(url('/healthz'))).status).toBe(200);
    const res = await raw('/api/login', JSON.stringify({ loginId: 'demo@example.com', password: 'demo-password', applicationId: identity.applications.store.id }), { authorization: identity.apiKey });
    expect(res.status).toBe(200);
  });
});
