import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { request, type Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import { localhostAgent } from '../localhost-dispatcher.js';

export type JwtInvalidReason = 'malformed' | 'algorithm' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not-yet-valid' | 'nonce' | 'claims' | 'jwks-unavailable';

/** The one error verification throws, with a reason an application backend can branch on and show. */
export class JwtInvalidError extends Error {
  override readonly name = 'JwtInvalidError';
  constructor(
    readonly reason: JwtInvalidReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface JwtVerifier {
  /** Checks signature (JWKS), `iss`, `exp`/`nbf` by the one clock, and `aud`/`nonce` when given. */
  verify(jwt: string, expected?: { audience?: string; nonce?: string }): Promise<JWTPayload>;
}

/** Only asymmetric algorithms: `none` and HMAC (whose "key" would be public here) are refused outright. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

/** jose's fetch hook, answered through undici so `*.localhost` resolves and no global fetch is used. */
function undiciFetch(dispatcher: Dispatcher) {
  return async (url: string, options: { headers: Headers; method: string; signal: AbortSignal }): Promise<Response> => {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, { method: 'GET', headers: headerRecord(options.headers), signal: options.signal, dispatcher });
    } catch (err) {
      throw new JwtInvalidError('jwks-unavailable', `The identity server's keys could not be fetched from ${url}: ${(err as Error).message}`, { cause: err });
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new JwtInvalidError('jwks-unavailable', `The identity server answered ${res.statusCode} for its keys at ${url}.`);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    return new Response(await res.body.arrayBuffer(), { status: res.statusCode, headers });
  };
}

/** jose's fetch hook, answered by a function that returns the JWKS document. */
function keysThrough(fetchKeys: () => Promise<unknown>) {
  return async (url: string): Promise<Response> => {
    let doc: unknown;
    try {
      doc = await fetchKeys();
    } catch (err) {
      throw new JwtInvalidError('jwks-unavailable', `The identity server's keys could not be fetched from ${url}: ${(err as Error).message}`, { cause: err });
    }
    return new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

function classify(err: unknown): JwtInvalidError {
  if (err instanceof JwtInvalidError) return err;
  const message = (err as Error).message;
  if (err instanceof errors.JWTExpired) return new JwtInvalidError('expired', 'The token has expired.', { cause: err });
  if (err instanceof errors.JWTClaimValidationFailed) {
    const reason: JwtInvalidReason = err.claim === 'aud' ? 'audience' : err.claim === 'iss' ? 'issuer' : err.claim === 'nbf' ? 'not-yet-valid' : 'claims';
    return new JwtInvalidError(reason, `The token's ${err.claim} claim is not acceptable: ${message}`, { cause: err });
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new JwtInvalidError('algorithm', 'The token is signed with an algorithm that is not accepted.', { cause: err });
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new JwtInvalidError('signature', 'The token is not signed by a key of the identity server.', { cause: err });
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return new JwtInvalidError('jwks-unavailable', `The identity server's keys could not be read: ${message}`, { cause: err });
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSEError) {
    return new JwtInvalidError('malformed', `The token is not a well-formed signed JWT: ${message}`, { cause: err });
  }
  return new JwtInvalidError('jwks-unavailable', `The identity server's keys could not be fetched: ${message}`, { cause: err });
}

/**
 * Verifies JWTs issued by FusionAuth (or the embedded server) locally: keys from its JWKS, fetched once and
 * cached by jose (re-fetched when an unknown `kid` shows up), claims checked against the one clock.
 */
export function createJwtVerifier(options: {
  jwksUrl: string;
  issuer: string;
  dispatcher?: Dispatcher;
  clock: Clock;
  /** Fetches the JWKS another way (an application backend's traced FusionAuth client); else undici straight. */
  fetchKeys?: () => Promise<unknown>;
}): JwtVerifier {
  const fetchKeys = options.fetchKeys;
  const fetcher = fetchKeys ? keysThrough(fetchKeys) : undiciFetch(options.dispatcher ?? localhostAgent());
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), { [customFetch]: fetcher });
  return {
    async verify(jwt, expected = {}) {
      try {
        const { payload } = await jwtVerify(jwt, jwks, {
          algorithms: ALGORITHMS,
          issuer: options.issuer,
          ...(expected.audience !== undefined && { audience: expected.audience }),
          currentDate: new Date(options.clock.now()),
          requiredClaims: ['exp', 'sub'],
        });
        if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
          throw new JwtInvalidError('nonce', 'The token was not issued for this login (nonce mismatch).');
        }
        return payload;
      } catch (err) {
        throw classify(err);
      }
    },
  };
}
