import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { authenticate } from './authenticate.js';
import type { Application } from './directory.js';
import type { Idp } from './idp.js';
import { createRefreshToken, exchangeRefreshToken } from './refresh-tokens.js';
import type { RefreshTokenRecord, UserRecord } from './store.js';
import { signAccessToken, signIdToken, type AuthenticationType } from './tokens.js';

export function oauthError(res: Response, status: number, error: string, reason: string, description: string): void {
  res.status(status).json({ error, error_description: description, error_reason: reason });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Client {
  application: Application;
  /** A client secret was presented and matched. */
  authenticated: boolean;
}

/**
 * The client from `Authorization: Basic` or the form's client_id/client_secret. A wrong secret is 401;
 * no secret at all is allowed here and judged per grant (the kickstart's `NotRequiredWhenUsingPKCE`).
 */
export function identifyClient(idp: Idp, req: Request, body: Record<string, string>, res: Response): Client | undefined {
  let clientId = body.client_id;
  let secret = body.client_secret;
  const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return void oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'The Authorization header is not valid HTTP Basic client authentication.');
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    } catch {
      return void oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'The Authorization header is not valid HTTP Basic client authentication.');
    }
  }
  if (!clientId) return void oauthError(res, 400, 'invalid_request', 'missing_client_id', 'The client_id parameter is required.');
  const application = idp.directory.byId(clientId);
  if (!application) return void oauthError(res, 401, 'invalid_client', 'invalid_client_id', `Invalid client_id ${clientId}.`);
  if (secret !== undefined && !sameSecret(secret, application.clientSecret)) {
    return void oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'The client could not be authenticated.');
  }
  return { application, authenticated: secret !== undefined };
}

function grantEnabled(application: Application, grant: 'authorization_code' | 'refresh_token' | 'password', res: Response): boolean {
  if (application.enabledGrants.includes(grant)) return true;
  oauthError(res, 400, 'unauthorized_client', 'grant_type_disabled', `The [${grant}] grant has been disabled for this client.`);
  return false;
}

interface Issue {
  user: UserRecord;
  application: Application;
  scope: string;
  grant: string;
  authInstant: number;
  authenticationType: AuthenticationType;
  refresh?: RefreshTokenRecord;
  nonce?: string | undefined;
  ssoSessionId?: string | undefined;
}

/** FusionAuth's AccessToken response: access_token, expires_in, id_token, refresh_token, refresh_token_id, scope, token_type, userId. */
async function sendTokens(idp: Idp, res: Response, i: Issue): Promise<void> {
  const access = await signAccessToken(idp, {
    user: i.user,
    application: i.application,
    authenticationType: i.authenticationType,
    authInstant: i.authInstant,
    scope: i.scope,
    grant: i.grant,
    ...(i.refresh && { refreshTokenId: i.refresh.id }),
  });
  const idToken = i.scope.split(' ').includes('openid')
    ? await signIdToken(idp, { user: i.user, application: i.application, authInstant: i.authInstant, scope: i.scope, nonce: i.nonce, ssoSessionId: i.ssoSessionId, accessToken: access.token })
    : undefined;
  res.setHeader('Cache-Control', 'no-store');
  res.json({
    access_token: access.token,
    expires_in: access.ttlSeconds,
    ...(idToken && { id_token: idToken }),
    ...(i.refresh && { refresh_token: i.refresh.token, refresh_token_id: i.refresh.id }),
    scope: i.scope,
    token_type: 'Bearer',
    userId: i.user.id,
  });
}

/** A refresh token comes with offline_access when the application generates them and allows the refresh grant. */
function maybeRefreshToken(idp: Idp, application: Application, user: UserRecord, scope: string, grantType: string, authInstant: number, publicClient: boolean) {
  const wanted = scope.split(' ').includes('offline_access') && application.generateRefreshTokens && application.enabledGrants.includes('refresh_token');
  return wanted ? createRefreshToken(idp, { userId: user.id, application, authInstant, grantType, scopes: scope.split(' ').filter(Boolean), publicClient }) : undefined;
}

/** `POST /oauth2/token`, form-encoded only: authorization_code (+PKCE S256), refresh_token and password grants. */
export function tokenEndpoint(idp: Idp): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  router.post('/oauth2/token', form, async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return oauthError(res, 400, 'invalid_request', 'invalid_content_type', 'The token endpoint takes application/x-www-form-urlencoded bodies only.');
    }
    const body = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const grantType = body.grant_type;
    if (!grantType) return oauthError(res, 400, 'invalid_request', 'missing_grant_type', 'The grant_type parameter is required.');
    if (!['authorization_code', 'refresh_token', 'password'].includes(grantType)) {
      return oauthError(res, 400, 'unsupported_grant_type', 'invalid_grant_type', `Unsupported grant_type ${grantType}.`);
    }
    const client = identifyClient(idp, req, body, res);
    if (!client) return;
    const { application } = client;

    if (grantType === 'authorization_code') {
      if (!grantEnabled(application, 'authorization_code', res)) return;
      if (!body.code) return oauthError(res, 400, 'invalid_request', 'missing_code', 'The code parameter is required.');
      const code = idp.store.takeCode(body.code);
      if (!code || code.expiresInstant <= idp.now() || code.applicationId !== application.id) {
        return oauthError(res, 400, 'invalid_grant', 'auth_code_not_found', 'The authorization code is invalid, expired, already used or issued to another client.');
      }
      if (body.redirect_uri !== code.redirectUri) return oauthError(res, 400, 'invalid_request', 'invalid_redirect_uri', `Invalid redirect_uri ${body.redirect_uri ?? ''}`);
      if (code.codeChallenge) {
        if (!body.code_verifier) return oauthError(res, 400, 'invalid_request', 'invalid_pkce_code_verifier', 'The code_verifier parameter is required.');
        const challenge = createHash('sha256').update(body.code_verifier).digest('base64url');
        if (challenge !== code.codeChallenge) return oauthError(res, 400, 'invalid_grant', 'invalid_pkce_code_verifier', 'The code_verifier does not match the code_challenge.');
      } else if (!client.authenticated) {
        return oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'Client authentication is required without PKCE.');
      }
      const user = idp.store.userById(code.userId);
      if (!user) return oauthError(res, 400, 'invalid_grant', 'auth_code_not_found', 'The authorization code is invalid.');
      const refresh = maybeRefreshToken(idp, application, user, code.scope, 'authorization_code', code.authInstant, !client.authenticated);
      return sendTokens(idp, res, {
        user,
        application,
        scope: code.scope,
        grant: 'authorization_code',
        authInstant: code.authInstant,
        authenticationType: 'PASSWORD',
        ...(refresh && { refresh }),
        nonce: code.nonce ?? undefined,
        ssoSessionId: code.ssoSessionId ?? undefined,
      });
    }

    if (grantType === 'refresh_token') {
      if (!grantEnabled(application, 'refresh_token', res)) return;
      if (!body.refresh_token) return oauthError(res, 400, 'invalid_request', 'missing_refresh_token', 'The refresh_token parameter is required.');
      const dead = () => oauthError(res, 400, 'invalid_grant', 'refresh_token_not_found', 'The refresh_token is invalid.');
      // Look before spending: a one-time token must not be burnt by the wrong client.
      const owner = idp.store.refreshTokenByValue(body.refresh_token) ?? idp.store.refreshTokenById(idp.store.rotationByValue(body.refresh_token)?.refreshTokenId ?? '');
      if (owner && owner.applicationId !== application.id) return dead();
      if (owner && !client.authenticated && !owner.publicClient) {
        return oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'This refresh token needs client authentication.');
      }
      const result = exchangeRefreshToken(idp, body.refresh_token);
      if (!result.ok) {
        idp.emit('idp.refresh.rejected', { reason: result.reason, via: 'oauth-token', app: application.app, ...(result.record && { refreshTokenId: result.record.id, userId: result.record.userId }) });
        return dead();
      }
      const user = idp.store.userById(result.record.userId);
      if (!user) return dead();
      const scope = body.scope ?? result.record.scopes.join(' ');
      const unknown = scope.split(' ').filter((s) => s && !result.record.scopes.includes(s));
      if (body.scope && unknown.length > 0) return oauthError(res, 400, 'invalid_scope', 'invalid_scope', `The scope ${unknown.join(' ')} was not granted to this refresh token.`);
      idp.emit('idp.refresh.issued', { refreshTokenId: result.record.id, userId: user.id, email: user.email, app: application.app, applicationId: application.id, rotated: result.rotated, graced: result.graced, via: 'oauth-token' });
      return sendTokens(idp, res, { user, application, scope, grant: 'refresh_token', authInstant: result.record.authInstant, authenticationType: 'REFRESH_TOKEN', refresh: result.record });
    }

    // Resource owner password credentials.
    if (!grantEnabled(application, 'password', res)) return;
    if (!client.authenticated) return oauthError(res, 401, 'invalid_client', 'invalid_client_authentication', 'The password grant needs client authentication.');
    if (!body.username || !body.password) return oauthError(res, 400, 'invalid_request', 'missing_username_or_password', 'The username and password parameters are required.');
    const result = await authenticate(idp, body.username, body.password, application.app);
    if (!result.ok) {
      return oauthError(res, 400, 'invalid_grant', result.reason === 'locked' ? 'login_prevented' : 'invalid_user_credentials', 'Invalid user credentials.');
    }
    const now = idp.now();
    idp.store.recordLogin(result.user.id, application.id, now);
    idp.emit('idp.login.succeeded', { userId: result.user.id, email: result.user.email, via: 'oauth-password', app: application.app, applicationId: application.id });
    const scope = body.scope ?? '';
    const refresh = maybeRefreshToken(idp, application, result.user, scope, 'password', now, false);
    return sendTokens(idp, res, { user: result.user, application, scope, grant: 'password', authInstant: now, authenticationType: 'PASSWORD', ...(refresh && { refresh }) });
  });
  return router;
}
