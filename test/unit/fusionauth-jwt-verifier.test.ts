import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { MockAgent } from 'undici';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type Clock } from '../../backend/clock.js';
import { createJwtVerifier, JwtInvalidError, type JwtInvalidReason, type JwtVerifier } from '../../backend/fusionauth/jwt-verifier.js';

const ISSUER = 'http://login.localhost:9311';
const JWKS_ORIGIN = 'http://login.localhost:9311';
const AUDIENCE = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

let key: { privateKey: CryptoKey; publicKey: CryptoKey };
let otherKey: { privateKey: CryptoKey; publicKey: CryptoKey };
let jwk: JWK;
let agent: MockAgent;
let clock: Clock;
let verifier: JwtVerifier;

function sign(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; kid?: string; issuer?: string; audience?: string; ttl?: number } = {}) {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'kid-1', typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('00000000-0000-0000-0000-111111111111')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttl ?? 300))
    .sign(options.key ?? key.privateKey);
}

async function reason(jwt: string, expected: { audience?: string; nonce?: string } = { audience: AUDIENCE }): Promise<JwtInvalidReason> {
  const err = await verifier.verify(jwt, expected).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(JwtInvalidError);
  return (err as JwtInvalidError).reason;
}

beforeAll(async () => {
  key = await generateKeyPair('RS256', { extractable: true });
  otherKey = await generateKeyPair('RS256', { extractable: true });
  jwk = { ...(await exportJWK(key.publicKey)), kid: 'kid-1', alg: 'RS256', use: 'sig' };
});

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = createClock(() => T0);
  verifier = createJwtVerifier({ jwksUrl: `${JWKS_ORIGIN}/.well-known/jwks.json`, issuer: ISSUER, clock, dispatcher: agent });
});
afterEach(() => agent.close());

const serveJwks = (times = 1) =>
  agent.get(JWKS_ORIGIN).intercept({ path: '/.well-known/jwks.json', method: 'GET' }).reply(200, { keys: [jwk] }, { headers: { 'content-type': 'application/json' } }).times(times);

describe('JWT verifier (JWKS through undici, claims by the one clock)', () => {
  it('accepts a good token and fetches the JWKS only once', async () => {
    serveJwks(1);
    const payload = await verifier.verify(await sign({ nonce: 'n-1' }), { audience: AUDIENCE, nonce: 'n-1' });
    expect(payload.sub).toBe('00000000-0000-0000-0000-111111111111');
    // Cached: a second verification makes no request (another one would hit disableNetConnect).
    expect((await verifier.verify(await sign(), { audience: AUDIENCE })).iss).toBe(ISSUER);
  });

  it('checks expiry against the clock, not the wall', async () => {
    serveJwks();
    const jwt = await sign({}, { ttl: 300 });
    await verifier.verify(jwt, { audience: AUDIENCE });
    clock.advance(301_000);
    expect(await reason(jwt)).toBe('expired');
  });

  it('rejects the wrong audience, issuer and nonce', async () => {
    serveJwks();
    expect(await reason(await sign({}, { audience: 'some-other-app' }))).toBe('audience');
    expect(await reason(await sign({}, { issuer: 'http://evil.localhost' }))).toBe('issuer');
    expect(await reason(await sign({ nonce: 'a' }), { audience: AUDIENCE, nonce: 'b' })).toBe('nonce');
  });

  it('skips the audience check only when asked to', async () => {
    serveJwks();
    expect((await verifier.verify(await sign({}, { audience: 'forum' }), {})).aud).toBe('forum');
  });

  it('rejects a token signed by another key under the same kid', async () => {
    serveJwks();
    expect(await reason(await sign({}, { key: otherKey.privateKey }))).toBe('signature');
  });

  it('rejects a tampered payload', async () => {
    serveJwks();
    const [h, , s] = (await sign()).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(T0 / 1000) + 300 })).toString('base64url');
    expect(await reason(`${h}.${forged}.${s}`)).toBe('signature');
  });

  it('rejects alg none and HMAC tokens without looking for a key', async () => {
    const none = new UnsecuredJWT({ sub: 'admin' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').encode();
    expect(await reason(none)).toBe('algorithm');
    const hmac = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'kid-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(Math.floor(T0 / 1000) + 300)
      .sign(new TextEncoder().encode('a-guessable-secret-of-enough-length!'));
    expect(await reason(hmac)).toBe('algorithm');
  });

  it('calls garbage malformed', async () => {
    expect(await reason('not-a-jwt')).toBe('malformed');
    expect(await reason('a.b.c')).toBe('malformed');
  });

  it('reports an unreachable or broken JWKS as such', async () => {
    agent.get(JWKS_ORIGIN).intercept({ path: '/.well-known/jwks.json', method: 'GET' }).reply(500, 'down');
    expect(await reason(await sign())).toBe('jwks-unavailable');
  });
});
