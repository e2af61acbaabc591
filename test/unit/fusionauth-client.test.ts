import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from '../../backend/clock.js';
import { FusionAuthClient, FusionAuthError, isRefreshFailure } from '../../backend/fusionauth/client.js';
import { TraceBus } from '../../backend/trace/bus.js';
import { isExchange, type ExchangeEvent } from '../../backend/trace/types.js';

const BASE = 'http://fusionauth.test:9011';
const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

let agent: MockAgent;
let bus: TraceBus;
let client: FusionAuthClient;

function exchanges(): ExchangeEvent[] {
  return bus.list().filter(isExchange);
}

async function rejection(call: Promise<unknown>): Promise<FusionAuthError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FusionAuthError);
  return err as FusionAuthError;
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  bus = new TraceBus(createClock());
  client = new FusionAuthClient({ baseUrl: BASE, apiKey: 'the-api-key', tenantId: 'tenant-1', actor: 'store-backend', bus, traceOrigin: 'external', dispatcher: agent, timeoutMs: 5000 });
});
afterEach(async () => {
  vi.useRealTimers();
  await agent.close();
});

describe('FusionAuthClient over the wire', () => {
  it('logs in with the raw API key, tenant and actor headers, and records one exchange with the password masked', async () => {
    agent
      .get(BASE)
      .intercept({
        path: '/api/login',
        method: 'POST',
        headers: { authorization: 'the-api-key', 'x-fusionauth-tenantid': 'tenant-1', 'x-loginscope-actor': bus.actorHeader('store-backend') },
      })
      .reply(200, { token: 'jwt', refreshToken: 'rt', refreshTokenId: 'rt-id', user: { id: 'u1', email: 'demo@example.com' } }, {
        headers: { ...JSON_HEADERS, 'set-cookie': ['access_token=jwt; HttpOnly', 'refresh_token=rt; HttpOnly'] },
      });
    const result = await client.login({ loginId: 'demo@example.com', password: 'secret-password', applicationId: 'app-1' });
    expect(result.status).toBe(200);
    expect(result.response.user?.email).toBe('demo@example.com');
    const [exchange] = exchanges();
    expect(exchange).toMatchObject({ actor: 'store-backend', origin: 'external', method: 'POST', path: '/api/login', status: 200, url: `${BASE}/api/login` });
    expect(exchange!.setCookies).toEqual(['access_token=jwt; HttpOnly', 'refresh_token=rt; HttpOnly']);
    expect(exchange!.requestBody).toContain('demo@example.com');
    expect(exchange!.requestBody).not.toContain('secret-password');
    expect(exchanges()).toHaveLength(1);
  });

  it('returns 202 (not registered) as a result, not an error', async () => {
    agent.get(BASE).intercept({ path: '/api/login', method: 'POST' }).reply(202, { token: 'jwt', user: { id: 'u1' } }, { headers: JSON_HEADERS });
    const result = await client.login({ loginId: 'a@b.c', password: 'p', applicationId: 'app-1' });
    expect(result.status).toBe(202);
  });

  it.each([404, 423, 401])('throws FusionAuthError for a %i login with an empty body', async (status) => {
    agent.get(BASE).intercept({ path: '/api/login', method: 'POST' }).reply(status, '');
    const err = await rejection(client.login({ loginId: 'a@b.c', password: 'p' }));
    expect(err.status).toBe(status);
    expect(err.failure).toBe('status');
    expect(err.body).toBeUndefined();
    expect(exchanges()[0]!.status).toBe(status);
  });

  it('carries FusionAuth’s Errors body on a 400', async () => {
    const body = { fieldErrors: { loginId: [{ code: '[blank]loginId', message: 'You must specify the [loginId] property.' }] }, generalErrors: [] };
    agent.get(BASE).intercept({ path: '/api/login', method: 'POST' }).reply(400, body, { headers: JSON_HEADERS });
    const err = await rejection(client.login({ loginId: '', password: 'p' }));
    expect(err.status).toBe(400);
    expect(err.body).toEqual(body);
    expect(err.errors?.fieldErrors?.loginId?.[0]?.code).toBe('[blank]loginId');
  });

  it('treats a 500 as an error that is not a refresh failure', async () => {
    agent.get(BASE).intercept({ path: '/api/jwt/refresh', method: 'POST' }).reply(500, '');
    const err = await rejection(client.refresh('rt'));
    expect(err.status).toBe(500);
    expect(isRefreshFailure(err)).toBe(false);
    expect(exchanges()[0]).toMatchObject({ status: 500, path: '/api/jwt/refresh' });
  });

  it.each([400, 401, 404])('treats %i from the Refresh API as a refresh failure', async (status) => {
    agent.get(BASE).intercept({ path: '/api/jwt/refresh', method: 'POST' }).reply(status, status === 400 ? { fieldErrors: { refreshToken: [{ code: '[invalid]refreshToken' }] } } : '', { headers: JSON_HEADERS });
    const err = await rejection(client.refresh('rt'));
    expect(isRefreshFailure(err)).toBe(true);
  });

  it('sends the refresh token in the body without the API key', async () => {
    let seen: { body: unknown; headers: unknown } | undefined;
    agent
      .get(BASE)
      .intercept({ path: '/api/jwt/refresh', method: 'POST' })
      .reply(200, (opts) => {
        seen = { body: JSON.parse(String(opts.body)), headers: opts.headers };
        return { token: 'jwt2', refreshToken: 'rt', refreshTokenId: 'id' };
      }, { headers: JSON_HEADERS });
    expect(await client.refresh('rt')).toEqual({ token: 'jwt2', refreshToken: 'rt', refreshTokenId: 'id' });
    expect(seen!.body).toEqual({ refreshToken: 'rt' });
    expect(seen!.headers).not.toHaveProperty('authorization');
  });

  it('calls a 200 that is not JSON malformed', async () => {
    agent.get(BASE).intercept({ path: '/api/jwt/refresh', method: 'POST' }).reply(200, '<html>proxy login</html>', { headers: { 'content-type': 'text/html' } });
    const err = await rejection(client.refresh('rt'));
    expect(err.failure).toBe('malformed');
    expect(err.status).toBe(200);
    expect(isRefreshFailure(err)).toBe(false);
  });

  it('calls JSON that does not parse malformed', async () => {
    agent.get(BASE).intercept({ path: '/api/login', method: 'POST' }).reply(200, '{"token": "jwt", "user": ', { headers: JSON_HEADERS });
    const err = await rejection(client.login({ loginId: 'a@b.c', password: 'p' }));
    expect(err.failure).toBe('malformed');
  });

  it('calls JSON without the promised fields malformed', async () => {
    agent.get(BASE).intercept({ path: '/api/jwt/refresh', method: 'POST' }).reply(200, { token: 'jwt' }, { headers: JSON_HEADERS });
    expect((await rejection(client.refresh('rt'))).failure).toBe('malformed');
    agent.get(BASE).intercept({ path: '/api/login', method: 'POST' }).reply(200, ['not', 'an', 'object'], { headers: JSON_HEADERS });
    expect((await rejection(client.login({ loginId: 'a@b.c', password: 'p' }))).failure).toBe('malformed');
    agent.get(BASE).intercept({ path: '/api/user/u1', method: 'GET' }).reply(200, { users: [] }, { headers: JSON_HEADERS });
    expect((await rejection(client.retrieveUser('u1'))).failure).toBe('malformed');
  });

  it('gives up after its timeout, with a timeout failure and a recorded exchange without status', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    agent.get(BASE).intercept({ path: '/api/jwt/refresh', method: 'POST' }).reply(200, { token: 'late', refreshToken: 'rt', refreshTokenId: 'id' }, { headers: JSON_HEADERS }).delay(60_000);
    const pending = rejection(client.refresh('rt'));
    await vi.advanceTimersByTimeAsync(5000);
    const err = await pending;
    expect(err.failure).toBe('timeout');
    expect(err.status).toBe(0);
    expect(isRefreshFailure(err)).toBe(false);
    expect(exchanges()[0]).toMatchObject({ status: 0, path: '/api/jwt/refresh' });
  });

  it('reports a connection failure as a network failure', async () => {
    const err = await rejection(client.retrieveUser('u1'));
    expect(err.failure).toBe('network');
    expect(err.status).toBe(0);
  });

  it('revokes by id, by value (form body) and by user, with the API key', async () => {
    const pool = agent.get(BASE);
    pool.intercept({ path: '/api/jwt/refresh/rt-id', method: 'DELETE', headers: { authorization: 'the-api-key' } }).reply(200, '');
    pool.intercept({ path: '/api/jwt/refresh', method: 'DELETE', body: 'token=a%2Bb%2Fc', headers: { 'content-type': 'application/x-www-form-urlencoded' } }).reply(200, '');
    pool.intercept({ path: '/api/jwt/refresh?userId=u1&applicationId=app-1', method: 'DELETE' }).reply(200, '');
    await client.revokeRefreshToken({ tokenId: 'rt-id' });
    await client.revokeRefreshToken({ token: 'a+b/c' });
    await client.revokeRefreshToken({ userId: 'u1', applicationId: 'app-1' });
    expect(exchanges().map((e) => e.status)).toEqual([200, 200, 200]);
  });

  it('retrieves refresh tokens and users, typed', async () => {
    const pool = agent.get(BASE);
    pool.intercept({ path: '/api/jwt/refresh?userId=u1', method: 'GET' }).reply(200, { refreshTokens: [{ id: 'rt-id', token: 'rt' }] }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/api/user?email=demo%40example.com', method: 'GET' }).reply(200, { user: { id: 'u1' } }, { headers: JSON_HEADERS });
    pool.intercept({ path: '/api/jwt/validate', method: 'GET', headers: { authorization: 'Bearer the.jwt.value' } }).reply(200, { jwt: { sub: 'u1' } }, { headers: JSON_HEADERS });
    expect(await client.retrieveRefreshTokens('u1')).toEqual([{ id: 'rt-id', token: 'rt' }]);
    expect((await client.retrieveUserByEmail('demo@example.com')).user.id).toBe('u1');
    expect((await client.validateJwt('the.jwt.value')).sub).toBe('u1');
  });
});
