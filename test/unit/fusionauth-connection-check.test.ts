import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverIssuer } from '../../backend/app/app-services.js';
import { checkIdentityConnection, type CheckTarget } from '../../backend/fusionauth/connection-check.js';
import { buildRealFusionAuthConfig, DEMO_API_KEY, RSA_KEY_ID } from '../../backend/fusionauth/kickstart.js';
import { checkUntilKickstarted, isBundledKickstart } from '../../backend/fusionauth/start-check.js';
import { redirectUri } from '../../backend/hosts.js';

/**
 * Answers as a kickstarted FusionAuth 1.62 gives them (field names and shapes from its API docs and the official
 * TypeScript client), trimmed to what the check reads plus the neighbours that make them recognisable. The one
 * thing the embedded server used to blur: the application names its key by the key's id (a UUID), and the JWKS
 * lists the key by its kid, a different, shorter string.
 */
const BASE = 'http://localhost:9011';
const PORT = 9311;
const KID = 'q21xprY2utMAfR3oywglb0YT71E';
const TENANT_ID = '9f2a7c1e-0b4d-4e6f-8a3b-5c7d9e1f2a4b';
const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };
const config = buildRealFusionAuthConfig() as { identity: { apiKey: string; applications: { store: { id: string }; forum: { id: string } } } };
const ids = { store: config.identity.applications.store.id, forum: config.identity.applications.forum.id };

function application(app: 'store' | 'forum', keyId = RSA_KEY_ID) {
  return {
    application: {
      active: true,
      id: ids[app],
      name: app === 'store' ? 'Store' : 'Forum',
      tenantId: TENANT_ID,
      state: 'Active',
      insertInstant: 1_767_000_000_000,
      lastUpdateInstant: 1_767_000_000_000,
      loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
      jwtConfiguration: { enabled: true, accessTokenKeyId: keyId, idTokenKeyId: keyId, refreshTokenTimeToLiveInMinutes: 10, timeToLiveInSeconds: 300, refreshTokenUsagePolicy: 'Reusable', refreshTokenExpirationPolicy: 'Fixed' },
      oauthConfiguration: {
        authorizedOriginURLs: [],
        authorizedRedirectURLs: [redirectUri(app, PORT)],
        authorizedURLValidationPolicy: 'ExactMatch',
        clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE',
        clientId: ids[app],
        clientSecret: 'kC1x3G0cN5mT9vQ2bH7yJ4wR8pL6sD0fA3eZ1uI5oK9',
        enabledGrants: ['implicit', 'authorization_code', 'refresh_token'],
        generateRefreshTokens: true,
        proofKeyForCodeExchangePolicy: 'Required',
        requireRegistration: true,
        scopeHandlingPolicy: 'Compatibility',
      },
    },
  };
}

const rsaKey = {
  key: {
    algorithm: 'RS256',
    certificate: '-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----',
    hasPrivateKey: true,
    id: RSA_KEY_ID,
    insertInstant: 1_767_000_000_000,
    issuer: 'http://localhost:9011',
    kid: KID,
    length: 2048,
    name: 'Loginscope demo RS256',
    publicKey: '-----BEGIN PUBLIC KEY-----\nMIIB…\n-----END PUBLIC KEY-----',
    type: 'RSA',
  },
};
/** FusionAuth's JWKS: the RSA key by its kid, and the default HMAC key nowhere. */
const jwks = { keys: [{ alg: 'RS256', e: 'AQAB', kid: KID, kty: 'RSA', n: 'u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw', use: 'sig', x5t: 'Zu3dW2Q3Hb2mV9s', 'x5t#S256': 'nB0pM2aHq7rE5t' }] };
const demoUser = {
  user: {
    active: true,
    email: 'demo@example.com',
    id: '0e7c1b5a-3d2f-4a6e-9b8c-1f0d2e3a4b5c',
    tenantId: TENANT_ID,
    registrations: [
      { applicationId: ids.store, id: 'a1000000-0000-4000-8000-000000000001', roles: ['customer'], verified: true },
      { applicationId: ids.forum, id: 'a1000000-0000-4000-8000-000000000002', roles: ['member'], verified: true },
    ],
    verified: true,
  },
};

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

const target = (settings: Partial<CheckTarget['settings']> = {}): CheckTarget => ({
  settings: { internalUrl: BASE, apiKey: DEMO_API_KEY, applications: { store: { id: ids.store }, forum: { id: ids.forum } }, ...settings },
  port: PORT,
  dispatcher: agent,
});

interface Answers {
  discoveryPath?: string;
  issuer?: string;
  applications?: (app: 'store' | 'forum') => { status: number; body?: unknown };
  key?: { status: number; body?: unknown };
  user?: { status: number; body?: unknown };
}

/** FusionAuth answering the check, once per call; each answer can be swapped for a test. */
function fusionAuth(answers: Answers = {}): void {
  const pool = agent.get(BASE);
  pool.intercept({ path: answers.discoveryPath ?? '/.well-known/openid-configuration', method: 'GET' }).reply(200, { issuer: answers.issuer ?? 'http://localhost:9011', jwks_uri: `${BASE}/.well-known/jwks.json` }, { headers: JSON_HEADERS });
  for (const app of ['store', 'forum'] as const) {
    const answer = answers.applications?.(app) ?? { status: 200, body: application(app) };
    pool.intercept({ path: `/api/application/${ids[app]}`, method: 'GET', headers: { authorization: DEMO_API_KEY } }).reply(answer.status, answer.body === undefined ? '' : JSON.stringify(answer.body), { headers: JSON_HEADERS });
  }
  pool.intercept({ path: '/.well-known/jwks.json', method: 'GET' }).reply(200, jwks, { headers: JSON_HEADERS });
  const key = answers.key ?? { status: 200, body: rsaKey };
  pool.intercept({ path: `/api/key/${RSA_KEY_ID}`, method: 'GET', headers: { authorization: DEMO_API_KEY } }).reply(key.status, key.body === undefined ? '' : JSON.stringify(key.body), { headers: JSON_HEADERS });
  const user = answers.user ?? { status: 200, body: demoUser };
  pool.intercept({ path: '/api/user?email=demo%40example.com', method: 'GET' }).reply(user.status, user.body === undefined ? '' : JSON.stringify(user.body), { headers: JSON_HEADERS });
}

describe('connection check against recorded real-FusionAuth answers', () => {
  it('a kickstarted FusionAuth passes: the application\'s key id is looked up, and its kid is in the JWKS', async () => {
    // The key id and the kid differ, as in FusionAuth; comparing the key id with the JWKS kids would fail here.
    expect(RSA_KEY_ID).not.toBe(KID);
    fusionAuth();
    const result = await checkIdentityConnection(target());
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, fatal: false, url: BASE });
    agent.assertNoPendingInterceptors();
  });

  it('a key whose kid is not published: one line per application naming the key id and the kid', async () => {
    fusionAuth({ key: { status: 200, body: { key: { ...rsaKey.key, kid: 'AnotherKid0000000000000000' } } } });
    const result = await checkIdentityConnection(target());
    expect(result.problems).toEqual([
      { check: 'jwks', app: 'store', message: expect.stringMatching(new RegExp(`^The store application signs access tokens with key ${RSA_KEY_ID}, which is not in FusionAuth's JWKS \\(its kid AnotherKid0+ is not published\\): `)) },
      { check: 'jwks', app: 'forum', message: expect.stringMatching(/^The forum application signs access tokens with key /) },
    ]);
  });

  it('an HMAC key (never in a JWKS): one line per application saying so', async () => {
    fusionAuth({ key: { status: 200, body: { key: { algorithm: 'HS256', id: RSA_KEY_ID, kid: 'hmacKid', name: 'Default signing key', type: 'HMAC', secret: 'x' } } } });
    const result = await checkIdentityConnection(target());
    expect(result.problems.map((p) => [p.check, p.app])).toEqual([
      ['jwks', 'store'],
      ['jwks', 'forum'],
    ]);
    expect(result.problems[0]!.message).toMatch(/an HMAC key, HS256, is never published\): choose an RSA key/);
  });

  it('a key id FusionAuth does not know (404), and an API key not allowed GET /api/key (401, reported once)', async () => {
    fusionAuth({ key: { status: 404 } });
    const unknown = await checkIdentityConnection(target());
    expect(unknown.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`which FusionAuth's Key API does not know (404 on GET /api/key/${RSA_KEY_ID})`),
      expect.stringContaining(`which FusionAuth's Key API does not know (404 on GET /api/key/${RSA_KEY_ID})`),
    ]);
    await agent.close();
    agent = new MockAgent();
    agent.disableNetConnect();
    fusionAuth({ key: { status: 401 } });
    const refused = await checkIdentityConnection(target());
    expect(refused.problems).toEqual([{ check: 'jwks', message: `FusionAuth refused GET /api/key/${RSA_KEY_ID} with the API key (401): allow identity.apiKey to call GET /api/key, so the applications' signing keys can be checked.` }]);
  });

  it('a refused API key: stops start-up, lists every call the key needs, and says how to see the kickstart has finished', async () => {
    fusionAuth({ applications: () => ({ status: 401 }) });
    const result = await checkIdentityConnection(target());
    expect(result).toMatchObject({ ok: false, fatal: true });
    expect(result.problems).toHaveLength(1);
    const [problem] = result.problems;
    expect(problem!.check).toBe('apiKey');
    expect(problem!.message).toMatch(/^FusionAuth refused the API key \(401 on GET \/api\/application\): set identity\.apiKey/);
    for (const call of ['GET /api/application', 'GET /api/user', 'POST /api/login', 'GET and DELETE /api/jwt/refresh', 'GET /api/key']) expect(problem!.message).toContain(call);
    expect(problem!.message).toContain('kickstart may still be running');
    expect(problem!.message).toContain('docker compose -f assets/fusionauth/docker-compose.yml logs fusionauth');
    expect(problem!.message).toContain('KickstartRunner\'s "Summary:" line');
    expect(problem!.message).not.toMatch(/\n/);
  });
});

describe('the configured tenant', () => {
  it('the connection check asks for that tenant\'s OpenID configuration', async () => {
    fusionAuth({ discoveryPath: `/.well-known/openid-configuration?tenantId=${TENANT_ID}` });
    const result = await checkIdentityConnection(target({ tenantId: TENANT_ID }));
    expect(result).toMatchObject({ ok: true, problems: [] });
    agent.assertNoPendingInterceptors();
  });

  it('the application backends take the issuer from that tenant, not from the default one', async () => {
    const pool = agent.get(BASE);
    pool.intercept({ path: '/.well-known/openid-configuration', method: 'GET' }).reply(200, { issuer: 'acme.com' }, { headers: JSON_HEADERS }).persist();
    pool.intercept({ path: `/.well-known/openid-configuration?tenantId=${TENANT_ID}`, method: 'GET' }).reply(200, { issuer: 'https://second-tenant.example' }, { headers: JSON_HEADERS }).persist();
    expect(await discoverIssuer({ internalUrl: BASE, tenantId: TENANT_ID }, agent)).toBe('https://second-tenant.example');
    expect(await discoverIssuer({ internalUrl: BASE }, agent)).toBe('acme.com');
    // The embedded server's issuer is known without asking.
    expect(await discoverIssuer({ internalUrl: BASE, tenantId: TENANT_ID, issuer: 'http://login.localhost:9311' }, agent)).toBe('http://login.localhost:9311');
  });
});

describe('waiting for the bundled kickstart at start', () => {
  /** A clock that only the test's wait moves: no real time passes. */
  function fakeTime() {
    let now = 1_000_000;
    const waits: number[] = [];
    return {
      clock: { now: () => now },
      wait: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
      waits,
    };
  }

  it('is only for the bundled config (its API key exists nowhere else)', () => {
    expect(isBundledKickstart({ apiKey: config.identity.apiKey })).toBe(true);
    expect(isBundledKickstart({ apiKey: 'a-key-of-my-own' })).toBe(false);
  });

  it('asks again while the key is refused and the user is missing, with a progress line, until it passes', async () => {
    // Kickstart's order: API key, signing key, tenant, applications, user. Three checks see it unfinished.
    const pool = agent.get(BASE);
    pool.intercept({ path: '/.well-known/openid-configuration', method: 'GET' }).reply(200, { issuer: 'acme.com' }, { headers: JSON_HEADERS }).times(2);
    pool.intercept({ path: `/api/application/${ids.store}`, method: 'GET' }).reply(401, '').times(2);
    fusionAuth({ user: { status: 404 } });
    fusionAuth();
    const time = fakeTime();
    const lines: string[] = [];
    const result = await checkUntilKickstarted(target(), { ...time, progress: (l) => lines.push(l), intervalMs: 2000, limitMs: 60_000 });
    expect(result).toMatchObject({ ok: true, fatal: false, problems: [] });
    expect(time.waits).toEqual([2000, 2000, 2000]);
    expect(lines).toEqual([
      `Waiting for FusionAuth's kickstart at ${BASE}: it does not accept the API key yet (giving up in 60 s).`,
      `Waiting for FusionAuth's kickstart at ${BASE}: the demo user is not there yet (giving up in 56 s).`,
    ]);
    agent.assertNoPendingInterceptors();
  });

  it('gives up after its limit with one line saying the kickstart did not finish', async () => {
    const pool = agent.get(BASE);
    pool.intercept({ path: '/.well-known/openid-configuration', method: 'GET' }).reply(200, { issuer: 'acme.com' }, { headers: JSON_HEADERS }).persist();
    pool.intercept({ path: `/api/application/${ids.store}`, method: 'GET' }).reply(401, '').persist();
    const time = fakeTime();
    const lines: string[] = [];
    const result = await checkUntilKickstarted(target(), { ...time, progress: (l) => lines.push(l), intervalMs: 2000, limitMs: 10_000, progressEveryMs: 4000 });
    expect(result).toMatchObject({ ok: false, fatal: true });
    expect(time.waits).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(lines).toHaveLength(3);
    expect(result.problems).toEqual([
      { check: 'apiKey', message: expect.stringMatching(/^FusionAuth at http:\/\/localhost:9011 still refuses the bundled kickstart's API key after 10 s: its kickstart did not run or did not finish; look for KickstartRunner's "Summary:"/) },
    ]);
  });

  it('does not wait on what a kickstart cannot fix: FusionAuth not answering, or a redirect URI for another port', async () => {
    const time = fakeTime();
    const down = await checkUntilKickstarted(target(), time);
    expect(down.problems.map((p) => p.check)).toEqual(['url']);
    fusionAuth();
    const otherPort = await checkUntilKickstarted({ ...target(), port: 9400 }, time);
    expect(otherPort.problems.map((p) => p.check)).toEqual(['redirectUri', 'redirectUri']);
    expect(time.waits).toEqual([]);
  });
});
