import { randomUUID } from 'node:crypto';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey, type JWK } from 'jose';
import type { IdentityStore } from './store.js';

export const SIGNING_ALG = 'RS256';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as published at /.well-known/jwks.json. */
  jwk: JWK;
}

/**
 * The RS256 key pair: made on first start and kept in identity.db, so tokens stay verifiable across restarts.
 * FusionAuth's default HS256 key would leave the JWKS empty; an RSA key is what its quick-starts configure.
 */
export async function loadOrCreateSigningKeys(store: IdentityStore, now: number): Promise<SigningKeys> {
  let stored = store.signingKey();
  if (!stored) {
    const pair = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
    stored = { kid: randomUUID(), privatePem: await exportPKCS8(pair.privateKey), publicPem: await exportSPKI(pair.publicKey) };
    store.insertSigningKey({ ...stored, insertInstant: now });
  }
  const privateKey = await importPKCS8(stored.privatePem, SIGNING_ALG);
  const publicKey = await importSPKI(stored.publicPem, SIGNING_ALG, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: stored.kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid: stored.kid, privateKey, publicKey, jwk };
}
