/**
 * Conformance: the official @fusionauth/typescript-client against the running embedded identity server.
 * Status codes and the fields the client's types declare are checked; this is the evidence that it speaks FusionAuth.
 */
import { FusionAuthClient, type Errors } from '@fusionauth/typescript-client';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localhostLookup } from '../../backend/localhost-dispatcher.js';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

interface Identity {
  publicUrl: string;
  apiKey: string;
  applications: { store: { id: string }; forum: { id: string } };
}

const DEMO = { loginId: 'demo@example.com', password: 'demo-password' };

/** What the official client rejects a non-2xx answer with (its ClientResponse, `exception` = the parsed error body). */
interface Rejection {
  statusCode: number;
  exception: Errors;
}

async function failure(call: Promise<unknown>): Promise<Rejection> {
  try {
    await call;
  } catch (err) {
    return err as Rejection;
  }
  throw new Error('expected the call to fail');
}

async function identityOf(app: TestLoginscope): Promise<Identity> {
  const res = await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } });
  return res.json<Identity>();
}

// The official client uses node-fetch over Node's http module, which cannot resolve *.localhost here:
// give it an agent whose lookup answers loopback for those names (everything else goes to DNS).
const originalAgent = http.globalAgent;
beforeAll(() => {
  http.globalAgent = new http.Agent({ lookup: localhostLookup as never });
});
afterAll(() => {
  http.globalAgent = originalAgent;
});

describe('official FusionAuth client against the embedded server (Reusable refresh tokens)', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let client: FusionAuthClient;
  beforeAll(async () => {
    app = await startTestLoginscope();
    identity = await identityOf(app);
    client = new FusionAuthClient(identity.apiKey, identity.publicUrl);
  });
  afterAll(() => app.stop());

  const login = (applicationId = identity.applications.store.id) => client.login({ ...DEMO, applicationId });

  it('logs in: 200 with token, refreshToken, refreshTokenId, tokenExpirationInstant and the user', async () => {
    const res = await login();
    expect(res.statusCode).toBe(200);
    expect(res.wasSuccessful()).toBe(true);
    const body = res.response;
    expect(typeof body.token).toBe('string');
    expect(typeof body.refreshToken).toBe('string');
    expect(body.refreshTokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.tokenExpirationInstant).toBeGreaterThan(app.clock.now());
    expect(body.user?.email).toBe('demo@example.com');
    expect(body.user?.firstName).toBe('Demo');
    expect(body.user?.registrations?.map((r) => r.applicationId)).toEqual(
      expect.arrayContaining([identity.applications.store.id, identity.applications.forum.id]),
    );
    expect(body.user).not.toHaveProperty('password');
    const claims = decodeJwt(body.token!);
    expect(claims).toMatchObject({ aud: identity.applications.store.id, applicationId: identity.applications.store.id, sub: body.user?.id, sid: body.refreshTokenId, authenticationType: 'PASSWORD' });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('answers a wrong password with 404 and no body', async () => {
    const res = await failure(client.login({ ...DEMO, password: 'wrong', applicationId: identity.applications.store.id }));
    expect(res.statusCode).toBe(404);
    expect(res.exception).toBeUndefined();
  });

  it('answers missing fields with 400 and FusionAuth fieldErrors', async () => {
    const res = await failure(client.login({ loginId: '', password: '', applicationId: identity.applications.store.id }));
    expect(res.statusCode).toBe(400);
    expect(res.exception.fieldErrors?.loginId?.[0]?.code).toBe('[blank]loginId');
    expect(res.exception.fieldErrors?.password?.[0]?.code).toBe('[blank]password');
  });

  it('answers a wrong API key with 401', async () => {
    const res = await failure(new FusionAuthClient('not-the-key', identity.publicUrl).login({ ...DEMO, applicationId: identity.applications.store.id }));
    expect(res.statusCode).toBe(401);
  });

  it('refreshes (Reusable): same refresh token and id, a new JWT with auth_time kept', async () => {
    const first = (await login()).response;
    app.clock.advance(10_000);
    const res = await client.exchangeRefreshTokenForJWT({ refreshToken: first.refreshToken! });
    expect(res.statusCode).toBe(200);
    expect(res.response.refreshToken).toBe(first.refreshToken);
    expect(res.response.refreshTokenId).toBe(first.refreshTokenId);
    expect(res.response.token).not.toBe(first.token);
    const before = decodeJwt(first.token!);
    const after = decodeJwt(res.response.token!);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBeGreaterThan(before.iat!);
    expect(after.authenticationType).toBe('REFRESH_TOKEN');
  });

  it('refuses an expired refresh token (404 in the seed-article mode, the default)', async () => {
    const first = (await login()).response;
    app.clock.advance(61 * 60_000);
    const res = await failure(client.exchangeRefreshTokenForJWT({ refreshToken: first.refreshToken! }));
    expect(res.statusCode).toBe(404);
  });

  it('validates a JWT: 200 with its claims, 401 for a bad one', async () => {
    const { token } = (await login()).response;
    const res = await client.validateJWT(token!);
    expect(res.statusCode).toBe(200);
    expect(res.response.jwt?.sub).toBe('00000000-0000-0000-0000-111111111111');
    expect(res.response.jwt?.iss).toBe(identity.publicUrl);
    const bad = await failure(client.validateJWT(`${token!.slice(0, -4)}AAAA`));
    expect(bad.statusCode).toBe(401);
  });

  it('retrieves the user by id and by email, 404 for nobody', async () => {
    const byId = await client.retrieveUser('00000000-0000-0000-0000-111111111111');
    expect(byId.statusCode).toBe(200);
    expect(byId.response.user).toMatchObject({ email: 'demo@example.com', firstName: 'Demo', active: true, tenantId: expect.any(String) });
    const byEmail = await client.retrieveUserByEmail('demo@example.com');
    expect(byEmail.response.user?.id).toBe('00000000-0000-0000-0000-111111111111');
    expect((await failure(client.retrieveUser('00000000-0000-0000-0000-999999999999'))).statusCode).toBe(404);
  });

  it('publishes the signing key: JWKS with the kid every token carries, and the OpenID configuration', async () => {
    const { token } = (await login()).response;
    const jwks = await client.retrieveJsonWebKeySet();
    expect(jwks.statusCode).toBe(200);
    const key = jwks.response.keys?.[0];
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: decodeProtectedHeader(token!).kid });
    const { payload } = await jwtVerify(token!, createLocalJWKSet({ keys: jwks.response.keys as never }), { currentDate: new Date(app.clock.now()) });
    expect(payload.sub).toBe('00000000-0000-0000-0000-111111111111');
    const oidc = await client.retrieveOpenIdConfiguration();
    expect(oidc.response).toMatchObject({ issuer: identity.publicUrl, jwks_uri: `${identity.publicUrl}/.well-known/jwks.json` });
  });

  it('retrieves and revokes refresh tokens by id, by value and by user', async () => {
    const userId = '00000000-0000-0000-0000-111111111111';
    const a = (await login()).response;
    const b = (await login(identity.applications.forum.id)).response;
    const c = (await login()).response;
    const list = await client.retrieveRefreshTokens(userId);
    expect(list.statusCode).toBe(200);
    expect(list.response.refreshTokens?.map((t) => t.id)).toEqual(expect.arrayContaining([a.refreshTokenId, b.refreshTokenId, c.refreshTokenId]));
    const one = await client.retrieveRefreshTokenById(a.refreshTokenId!);
    expect(one.response.refreshToken).toMatchObject({ id: a.refreshTokenId, token: a.refreshToken, userId, applicationId: identity.applications.store.id });
    expect(typeof one.response.refreshToken?.startInstant).toBe('number');
    expect(typeof one.response.refreshToken?.insertInstant).toBe('number');

    expect((await client.revokeRefreshTokenById(a.refreshTokenId!)).statusCode).toBe(200);
    expect((await failure(client.exchangeRefreshTokenForJWT({ refreshToken: a.refreshToken! }))).statusCode).toBe(404);
    expect((await failure(client.retrieveRefreshTokenById(a.refreshTokenId!))).statusCode).toBe(404);
    expect((await failure(client.revokeRefreshTokenById(a.refreshTokenId!))).statusCode).toBe(404);

    expect((await client.revokeRefreshTokenByToken(b.refreshToken!)).statusCode).toBe(200);
    expect((await failure(client.exchangeRefreshTokenForJWT({ refreshToken: b.refreshToken! }))).statusCode).toBe(404);

    expect((await client.revokeRefreshTokensByUserId(userId)).statusCode).toBe(200);
    expect((await client.retrieveRefreshTokens(userId)).response.refreshTokens).toEqual([]);
    expect((await failure(client.exchangeRefreshTokenForJWT({ refreshToken: c.refreshToken! }))).statusCode).toBe(404);
  });

  it('revokes an application’s refresh tokens', async () => {
    const store = (await login()).response;
    const forum = (await login(identity.applications.forum.id)).response;
    expect((await client.revokeRefreshTokensByApplicationId(identity.applications.store.id)).statusCode).toBe(200);
    expect((await failure(client.exchangeRefreshTokenForJWT({ refreshToken: store.refreshToken! }))).statusCode).toBe(404);
    expect((await client.exchangeRefreshTokenForJWT({ refreshToken: forum.refreshToken! })).statusCode).toBe(200);
  });
});

describe('official FusionAuth client against the embedded server (OneTimeUse, real-FusionAuth 400)', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let client: FusionAuthClient;
  beforeAll(async () => {
    app = await startTestLoginscope({ identity: { kind: 'embedded', refreshTokenUsagePolicy: 'OneTimeUse', deadRefreshTokenStatus: 400 } });
    identity = await identityOf(app);
    client = new FusionAuthClient(identity.apiKey, identity.publicUrl);
  });
  afterAll(() => app.stop());

  it('rotates the value, keeps the id, and refuses the old value with 400 [invalid]refreshToken', async () => {
    const first = (await client.login({ ...DEMO, applicationId: identity.applications.store.id })).response;
    const second = await client.exchangeRefreshTokenForJWT({ refreshToken: first.refreshToken! });
    expect(second.statusCode).toBe(200);
    expect(second.response.refreshToken).not.toBe(first.refreshToken);
    expect(second.response.refreshTokenId).toBe(first.refreshTokenId);
    const third = await client.exchangeRefreshTokenForJWT({ refreshToken: second.response.refreshToken! });
    expect(third.response.refreshToken).not.toBe(second.response.refreshToken);
    expect(decodeJwt(third.response.token!).auth_time).toBe(decodeJwt(first.token!).auth_time);

    const replay = await failure(client.exchangeRefreshTokenForJWT({ refreshToken: first.refreshToken! }));
    expect(replay.statusCode).toBe(400);
    expect(replay.exception).toEqual({
      fieldErrors: { refreshToken: [{ code: '[invalid]refreshToken', message: 'The refresh token was not found or has expired.' }] },
      generalErrors: [],
    });
    const current = await client.retrieveRefreshTokenById(first.refreshTokenId!);
    expect(current.response.refreshToken?.token).toBe(third.response.refreshToken);
  });

  it('answers an unknown refresh token with 400 too', async () => {
    const res = await failure(client.exchangeRefreshTokenForJWT({ refreshToken: 'no-such-token' }));
    expect(res.statusCode).toBe(400);
    expect(res.exception.fieldErrors?.refreshToken?.[0]?.code).toBe('[invalid]refreshToken');
  });

  it('spends a one-time value once even when two refreshes race', async () => {
    const first = (await client.login({ ...DEMO, applicationId: identity.applications.store.id })).response;
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => client.exchangeRefreshTokenForJWT({ refreshToken: first.refreshToken! })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.statusCode)).toEqual([400, 400, 400]);
  });
});
