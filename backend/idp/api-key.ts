import express, { type Router } from 'express';
import type { Idp } from './idp.js';
import { requireApiKey, sendEmpty } from './fusionauth-wire.js';
import { SIGNING_ALG, type SigningKeys } from './keys.js';

/**
 * The signing key as FusionAuth's Key API returns it: its id and its kid (two different values), algorithm, type,
 * length and public key. The private key is never in it (FusionAuth says only `hasPrivateKey`); no certificate.
 */
export function keyJson(keys: SigningKeys) {
  return {
    id: keys.id,
    kid: keys.kid,
    algorithm: SIGNING_ALG,
    type: 'RSA',
    length: typeof keys.jwk.n === 'string' ? Buffer.from(keys.jwk.n, 'base64url').length * 8 : undefined,
    name: 'Loginscope embedded RS256 signing key',
    publicKey: keys.publicPem,
    hasPrivateKey: true,
  };
}

/**
 * `GET /api/key/{keyId}` and `GET /api/key` (all), API key only; an unknown id is 404 with no body. Keys are global
 * in FusionAuth, so the tenant header is not checked here.
 */
export function keyApi(idp: Idp): Router {
  const router = express.Router();
  router.get('/api/key/:keyId', requireApiKey(idp), async (req, res, next) => {
    try {
      const keys = await idp.keys;
      if (String(req.params.keyId).toLowerCase() !== keys.id) return sendEmpty(res, 404);
      res.json({ key: keyJson(keys) });
    } catch (err) {
      next(err);
    }
  });
  router.get('/api/key', requireApiKey(idp), async (_req, res, next) => {
    try {
      res.json({ keys: [keyJson(await idp.keys)] });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
