import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey, type JWK } from 'jose';
import type { IdentityStore } from './store.js';

export const SIGNING_ALG = 'RS256';

export interface SigningKeys {
  /** The key's id (a UUID): what an application's `jwtConfiguration.accessTokenKeyId` and `GET /api/key/{id}` name. */
  id: string;
  /** What tokens carry in their header and the JWKS publishes: a separate value, as in FusionAuth. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as published at /.well-known/jwks.json. */
  jwk: JWK;
  /** The public key as PEM (SPKI), as the Key and Public Key APIs return it. */
  publicPem: string;
}

/** Our own namespace for name-based key ids (any fixed UUID would do; this one is only ours). */
const KEY_ID_NAMESPACE = 'b3c6f0d2-7a41-4e8b-9c35-1d2e8f4a6b70';

/**
 * The key id for a kid: a name-based UUID (RFC 9562 version 5). identity.db keeps one column per key, the kid,
 * so deriving the id keeps it stable across restarts without a migration, and it never equals the kid.
 */
export function keyIdForKid(kid: string): string {
  const hash = createHash('sha1').update(Buffer.from(KEY_ID_NAMESPACE.replace(/-/g, ''), 'hex')).update(kid, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The RS256 key pair: made on first start and kept in identity.db, so tokens stay verifiable across restarts.
 * FusionAuth's default HS256 key would leave the JWKS empty; an RSA key is what its quick-starts configure.
 * A new key's kid is 20 random bytes in base64url, the length of FusionAuth's kids; databases made before keep
 * their kid (a UUID), so tokens they signed still verify.
 */
export async function loadOrCreateSigningKeys(store: IdentityStore, now: number): Promise<SigningKeys> {
  let stored = store.signingKey();
  if (!stored) {
    const pair = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
    stored = { kid: randomBytes(20).toString('base64url'), privatePem: await exportPKCS8(pair.privateKey), publicPem: await exportSPKI(pair.publicKey) };
    store.insertSigningKey({ ...stored, insertInstant: now });
  }
  const privateKey = await importPKCS8(stored.privatePem, SIGNING_ALG);
  const publicKey = await importSPKI(stored.publicPem, SIGNING_ALG, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: stored.kid, alg: SIGNING_ALG, use: 'sig' };
  return { id: keyIdForKid(stored.kid), kid: stored.kid, privateKey, publicKey, jwk, publicPem: stored.publicPem };
}
