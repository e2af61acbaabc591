import express, { type Router } from 'express';
import type { Idp } from './idp.js';
import { identifyClient, oauthError } from './oauth-token.js';
import { refreshTokenExpiresInstant, refreshTokenStatus } from './refresh-tokens.js';
import { tokenKind, verifyOwnJwt } from './tokens.js';

const HINTS = ['access_token', 'id_token', 'refresh_token'] as const;

/**
 * `POST /oauth2/introspect` (RFC 7662), as FusionAuth answers it. The client authenticates with its id and secret
 * (HTTP Basic, or client_id and client_secret in the form): the kickstart's `NotRequiredWhenUsingPKCE` waives the
 * secret only for a code exchange with PKCE, and there is none here. An access or id token (no hint, or the hint
 * that names its kind) is active while it verifies: our key, our issuer, not expired by the one clock; the answer
 * is its claims. A refresh token needs `token_type_hint=refresh_token` (FusionAuth 1.60) and answers `active` and
 * `exp` (epoch milliseconds, as FusionAuth's example). Unknown, expired, revoked or of another kind: `{ active: false }`.
 * A live token issued to another client is 401, as FusionAuth documents.
 */
export function introspectionEndpoint(idp: Idp): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  router.post('/oauth2/introspect', form, async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return oauthError(res, 400, 'invalid_request', 'invalid_content_type', 'The introspect endpoint takes application/x-www-form-urlencoded bodies only.');
    }
    const body = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const client = identifyClient(idp, req, body, res);
    if (!client) return;
    if (!client.authenticated) return oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'The introspect endpoint needs client authentication: client_id and client_secret.');
    const { token } = body;
    if (!token) return oauthError(res, 400, 'invalid_request', 'missing_token', 'The token parameter is required.');
    const hint = body.token_type_hint;
    if (hint !== undefined && !(HINTS as readonly string[]).includes(hint)) {
      return oauthError(res, 400, 'invalid_request', 'invalid_token_type_hint', `Invalid token_type_hint ${hint}. Use access_token, id_token or refresh_token.`);
    }
    const inactive = () => void res.json({ active: false });
    const otherClient = () => oauthError(res, 401, 'invalid_client', 'invalid_client_id', `The token was not issued to client_id ${client.application.id}.`);

    if (hint === 'refresh_token') {
      const record = idp.store.refreshTokenByValue(token);
      if (!record || refreshTokenStatus(idp, record) !== 'active' || !idp.store.userById(record.userId)) return inactive();
      if (record.applicationId !== client.application.id) return otherClient();
      return void res.json({ active: true, exp: refreshTokenExpiresInstant(idp, record) });
    }

    const verified = await verifyOwnJwt(idp, token);
    if (!verified || typeof verified.payload.sub !== 'string' || !idp.store.userById(verified.payload.sub)) return inactive();
    if (hint !== undefined && tokenKind(verified.payload, verified.header) !== hint) return inactive();
    const aud = verified.payload.aud;
    if (!(Array.isArray(aud) ? aud[0] === client.application.id : aud === client.application.id)) return otherClient();
    res.json({ active: true, ...verified.payload });
  });
  return router;
}
