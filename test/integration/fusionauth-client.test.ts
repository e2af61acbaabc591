import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusionAuthClient, FusionAuthError, isRefreshFailure } from '../../backend/fusionauth/client.js';
import { createJwtVerifier, JwtInvalidError } from '../../backend/fusionauth/jwt-verifier.js';
import { isExchange } from '../../backend/trace/types.js';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const DEMO = { loginId: 'demo@example.com', password: 'demo-password' };
const USER_ID = '00000000-0000-0000-0000-111111111111';

describe('our FusionAuth client against the embedded identity server', () => {
  let app: TestLoginscope;
  let client: FusionAuthClient;
  let storeId: string;
  beforeAll(async () => {
    app = await startTestLoginscope();
    const identity = (
      await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })
    ).json<{ publicUrl: string; apiKey: string; applications: { store: { id: string } } }>();
    storeId = identity.applications.store.id;
    client = new FusionAuthClient({ baseUrl: identity.publicUrl, apiKey: identity.apiKey, actor: 'store-backend', bus: app.bus, traceOrigin: 'login' });
  });
  afterAll(() => app.stop());

  it('logs in, refreshes, validates and retrieves, each call one exchange with the identity server’s events inside', async () => {
    const login = await client.login({ ...DEMO, applicationId: storeId });
    expect(login.status).toBe(200);
    if (login.status !== 200) return;
    expect(login.response.user.email).toBe('demo@example.com');
    const refreshed = await client.refresh(login.response.refreshToken!);
    expect(refreshed.refreshTokenId).toBe(login.response.refreshTokenId);
    expect((await client.validateJwt(refreshed.token)).sub).toBe(USER_ID);
    expect((await client.retrieveUser(USER_ID)).user.firstName).toBe('Demo');
    expect((await client.retrieveRefreshTokens(USER_ID)).map((t) => t.id)).toContain(login.response.refreshTokenId);

    const calls = app.bus.list().filter(isExchange).filter((e) => e.actor === 'store-backend');
    expect(calls.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/login 200',
      'POST /api/jwt/refresh 200',
      'GET /api/jwt/validate 200',
      `GET /api/user/${USER_ID} 200`,
      'GET /api/jwt/refresh 200',
    ]);
    expect(calls[0]!.origin).toBe('login');
    expect(calls[0]!.caused).toEqual(expect.arrayContaining(['idp.login.succeeded', 'idp.token.issued']));
    expect(calls[1]!.caused).toEqual(expect.arrayContaining(['idp.refresh.issued']));
    const issued = app.bus.list().find((e) => e.type === 'idp.refresh.issued');
    expect(issued).toMatchObject({ system: 'idp', correlationId: calls[1]!.id, data: { refreshTokenId: login.response.refreshTokenId, app: 'store', userId: USER_ID } });
  });

  it('throws FusionAuthError 404 for a wrong password, and locks nobody by default (as a default FusionAuth tenant)', async () => {
    const attempt = () => client.login({ loginId: 'demo@example.com', password: 'nope', applicationId: storeId }).catch((e: unknown) => e as FusionAuthError);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await client.login({ ...DEMO, applicationId: storeId })).status).toBe(200);
  });

  it('with identity.lockout on: 409 with the login-preventing action once locked, even for the right password, until the clock ends it', async () => {
    const locking = await startTestLoginscope({ identity: { kind: 'embedded', lockout: { enabled: true } } });
    try {
      const identity = (
        await new Browser().fetch(`${locking.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${locking.inspectorToken}` } })
      ).json<{ publicUrl: string; apiKey: string; applications: { store: { id: string } } }>();
      const lockClient = new FusionAuthClient({ baseUrl: identity.publicUrl, apiKey: identity.apiKey, actor: 'store-backend', bus: locking.bus, traceOrigin: 'login' });
      const appId = identity.applications.store.id;
      const attempt = () =>
        lockClient.login({ loginId: 'demo@example.com', password: 'nope', applicationId: appId }).then(
          () => expect.unreachable('a wrong password logged in'),
          (e: unknown) => e as FusionAuthError,
        );
      const answers: FusionAuthError[] = [];
      for (let i = 0; i < 6; i++) answers.push(await attempt());
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 409, 409]);
      expect(answers[4]!.body).toMatchObject({ actions: [{ name: 'Lock', reasonCode: 'failed_authentication', expiry: expect.any(Number) }] });
      expect(((await lockClient.login({ ...DEMO, applicationId: appId }).catch((e: unknown) => e)) as FusionAuthError).status).toBe(409);
      locking.clock.advance(181_000);
      expect((await lockClient.login({ ...DEMO, applicationId: appId })).status).toBe(200);
    } finally {
      await locking.stop();
    }
  });

  it('sees a dead refresh token as a refresh failure', async () => {
    const login = await client.login({ ...DEMO, applicationId: storeId });
    app.clock.advance(60 * 60_000);
    const err = await client.refresh(login.response.refreshToken!).catch((e: unknown) => e);
    expect(isRefreshFailure(err)).toBe(true);
    const rejected = app.bus.list().filter((e) => e.type === 'idp.refresh.rejected').at(-1);
    expect(rejected).toMatchObject({ data: { reason: 'expired', refreshTokenId: login.response.refreshTokenId } });
  });

  it('revokes by id, by value and by user', async () => {
    const a = await client.login({ ...DEMO, applicationId: storeId });
    const b = await client.login({ ...DEMO, applicationId: storeId });
    await client.revokeRefreshToken({ tokenId: a.response.refreshTokenId! });
    await client.revokeRefreshToken({ token: b.response.refreshToken! });
    expect(isRefreshFailure(await client.refresh(a.response.refreshToken!).catch((e: unknown) => e))).toBe(true);
    expect(isRefreshFailure(await client.refresh(b.response.refreshToken!).catch((e: unknown) => e))).toBe(true);
    await client.revokeRefreshToken({ userId: USER_ID });
    expect(await client.retrieveRefreshTokens(USER_ID)).toEqual([]);
  });

  it('verifies tokens locally against the JWKS, with audience and expiry', async () => {
    const verifier = createJwtVerifier({ jwksUrl: `${app.urls.login}/.well-known/jwks.json`, issuer: app.urls.login, clock: app.clock });
    const { response } = await client.login({ ...DEMO, applicationId: storeId });
    expect((await verifier.verify(response.token!, { audience: storeId })).sub).toBe(USER_ID);
    const wrongAud = await verifier.verify(response.token!, { audience: 'forum' }).catch((e: unknown) => e);
    expect((wrongAud as JwtInvalidError).reason).toBe('audience');
    app.clock.advance(301_000);
    const expired = await verifier.verify(response.token!, { audience: storeId }).catch((e: unknown) => e);
    expect((expired as JwtInvalidError).reason).toBe('expired');
  });
});
