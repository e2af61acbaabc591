import express, { type Router } from 'express';
import type { Idp } from './idp.js';
import { SIGNING_ALG } from './keys.js';

/** `/.well-known/jwks.json` (the RS256 public key with its kid) and `/.well-known/openid-configuration`. */
export function wellKnown(idp: Idp): Router {
  const router = express.Router();
  router.get('/.well-known/jwks.json', async (_req, res) => {
    const keys = await idp.keys;
    res.json({ keys: [keys.jwk] });
  });
  // FusionAuth's keys, in its order, with the values the embedded server really supports; the README's compatibility
  // notes name what is left out (device_authorization_endpoint, frontchannel_logout_supported,
  // userinfo_signing_alg_values_supported) and what is narrower (RS256 only, no form_post).
  router.get('/.well-known/openid-configuration', (_req, res) => {
    const base = idp.publicUrl;
    res.json({
      authorization_endpoint: `${base}/oauth2/authorize`,
      backchannel_logout_supported: false,
      claims_supported: ['applicationId', 'at_hash', 'aud', 'authenticationType', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'jti', 'name', 'nonce', 'preferred_username', 'roles', 'sub'],
      end_session_endpoint: `${base}/oauth2/logout`,
      grant_types_supported: ['authorization_code', 'password', 'implicit', 'refresh_token'],
      id_token_signing_alg_values_supported: [SIGNING_ALG],
      introspection_endpoint: `${base}/oauth2/introspect`,
      issuer: idp.issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_modes_supported: ['fragment', 'query'],
      response_types_supported: ['code', 'id_token', 'token id_token'],
      scopes_supported: ['openid', 'offline_access'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      userinfo_endpoint: `${base}/oauth2/userinfo`,
    });
  });
  return router;
}
