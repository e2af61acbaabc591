import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { decodeJwt } from 'jose';
import { parseCookieHeader } from '../trace/cookies.js';
import { bearerToken } from './api-jwt.js';
import { renderHostedPage } from './hosted-page.js';
import type { Idp } from './idp.js';
import { SSO_COOKIE, ssoCookieOptions } from './sso-sessions.js';
import { tokenKind, verifyOwnJwt } from './tokens.js';

function audienceOf(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const aud = decodeJwt(idToken).aud;
    return Array.isArray(aud) ? aud[0] : aud;
  } catch {
    return undefined;
  }
}

/** `/oauth2/logout` (ends the SSO session, revokes no refresh token) and `/oauth2/userinfo` (by the scope handling policy). */
export function sessionEndpoints(idp: Idp): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  const logout = (req: Request, res: Response, next: NextFunction) => {
    const source = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const param = (name: string) => (typeof source[name] === 'string' && source[name] !== '' ? (source[name] as string) : undefined);
    const errorPage = (message: string, reason: string) =>
      renderHostedPage(idp, req, res, next, { kind: 'error', title: 'This logout request cannot continue', message, error: 'invalid_request', errorReason: reason }, 400);

    // The hint only names the application: the redirect must still be one of its authorized URLs.
    const clientId = param('client_id') ?? audienceOf(param('id_token_hint'));
    const application = clientId === undefined ? undefined : idp.directory.byId(clientId);
    if (clientId !== undefined && !application) return errorPage(`Invalid client_id ${clientId}.`, 'invalid_client_id');
    const postLogout = param('post_logout_redirect_uri');
    if (postLogout !== undefined && !application?.authorizedRedirectURLs.includes(postLogout)) {
      return errorPage(`Invalid post_logout_redirect_uri ${postLogout}.`, 'invalid_post_logout_redirect_uri');
    }

    const ssoToken = parseCookieHeader(req.headers.cookie)[SSO_COOKIE];
    const session = ssoToken ? idp.store.ssoSessionByToken(ssoToken) : undefined;
    if (session) idp.store.revokeSsoSession(session.id, idp.now(), 'logout');
    const { maxAge: _maxAge, ...cookieOptions } = ssoCookieOptions(idp);
    res.clearCookie(SSO_COOKIE, cookieOptions);

    const target = postLogout ?? application?.logoutURL;
    if (target) {
      const state = param('state');
      return res.redirect(302, state ? `${target}${target.includes('?') ? '&' : '?'}state=${encodeURIComponent(state)}` : target);
    }
    renderHostedPage(idp, req, res, next, { kind: 'logged-out', message: 'You are logged out of the identity server.' }, 200);
  };
  router.get('/oauth2/logout', logout);
  router.post('/oauth2/logout', form, logout);

  const userinfo = async (req: Request, res: Response) => {
    const jwt = bearerToken(req);
    const verified = jwt ? await verifyOwnJwt(idp, jwt) : undefined;
    const claims = verified?.payload;
    const user = typeof claims?.sub === 'string' ? idp.store.userById(claims.sub) : undefined;
    const refuse = (description: string) => {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      res.status(401).json({ error: 'invalid_token', error_description: description, error_reason: 'access_token_invalid' });
    };
    if (!verified || !claims || !user) return refuse('The access token is missing, expired or not valid.');
    const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    const profile = {
      ...(user.firstName && { given_name: user.firstName }),
      ...(user.lastName && { family_name: user.lastName }),
      ...(name && { name }),
      preferred_username: user.email,
    };
    if (idp.scopeHandling === 'Strict') {
      // Strict: an access token from an OAuth grant with `openid` in its scope, answered with the claims of its scopes.
      if (tokenKind(claims, verified.header) !== 'access_token') return refuse('The UserInfo endpoint takes an access token, not an id token.');
      if (!scopes.has('openid')) return refuse('The access token was not granted the openid scope.');
      return void res.json({
        sub: user.id,
        ...(scopes.has('email') && { email: user.email, email_verified: true }),
        ...(scopes.has('profile') && profile),
      });
    }
    res.json({
      sub: user.id,
      email: user.email,
      email_verified: true,
      ...profile,
      tid: idp.directory.tenant.id,
      ...(typeof claims.applicationId === 'string' && { applicationId: claims.applicationId, roles: claims.roles }),
    });
  };
  router.get('/oauth2/userinfo', userinfo);
  router.post('/oauth2/userinfo', form, userinfo);
  return router;
}
