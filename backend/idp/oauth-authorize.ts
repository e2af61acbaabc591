import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseCookieHeader } from '../trace/cookies.js';
import { authenticate } from './authenticate.js';
import { renderHostedPage, type LoginPageState } from './hosted-page.js';
import type { Idp } from './idp.js';
import { oauthParams, redirectWith, validateAuthorizeRequest, type AuthorizeRequest, type OAuthFailure } from './oauth-request.js';
import { activeSsoSession, createSsoSession, reuseSsoSession, SSO_COOKIE, ssoCookieOptions } from './sso-sessions.js';
import type { SsoSessionRecord, UserRecord } from './store.js';
import { registrationFor, signAccessToken, signIdToken } from './tokens.js';
import { CSRF_FIELD, formRefusal, formToken } from './form-guard.js';

type Granted = Extract<AuthorizeRequest, { kind: 'ok' }>;

/** How long an authorization code can be exchanged; it is single use as well. */
export const AUTHORIZATION_CODE_SECONDS = 60;

function errorPage(idp: Idp, req: Request, res: Response, next: NextFunction, failure: OAuthFailure): void {
  renderHostedPage(
    idp,
    req,
    res,
    next,
    {
      kind: 'error',
      title: 'This login request cannot continue',
      message: `${failure.description} The application that sent you here is misconfigured, so you are not being sent back to it.`,
      error: failure.error,
      errorReason: failure.reason,
    },
    400,
  );
}

function redirectError(idp: Idp, res: Response, r: Extract<AuthorizeRequest, { kind: 'redirect-error' }>): void {
  res.redirect(
    302,
    redirectWith(r.redirectUri, r.mode, [
      ['error', r.failure.error],
      ['error_reason', r.failure.reason],
      ['error_description', r.failure.description],
      ['iss', idp.issuer],
      ['state', r.state],
    ]),
  );
}

function loginForm(granted: Granted, csrfToken: string, extra: { loginId?: string; error?: string; rememberDevice?: boolean } = {}): LoginPageState {
  return {
    kind: 'login',
    applicationName: granted.application.name,
    action: '/oauth2/authorize',
    hidden: granted.params,
    csrfToken,
    loginId: extra.loginId ?? '',
    rememberDevice: extra.rememberDevice ?? true,
    ...(extra.error && { error: extra.error }),
  };
}

/**
 * The end of a successful authorization: tokens in the fragment (implicit) or a code in the query, then a 302
 * to the registered redirect URI. Implicit grants never get a refresh token.
 */
async function completeAuthorization(idp: Idp, res: Response, granted: Granted, user: UserRecord, authInstant: number, sso: SsoSessionRecord | undefined, via: string) {
  const { application, params } = granted;
  const userState = registrationFor(idp, user.id, application.id) ? 'Authenticated' : 'AuthenticatedNotRegistered';
  let location: string;
  let jti: string | undefined;
  if (granted.flow === 'implicit') {
    const access = granted.wantsAccessToken
      ? await signAccessToken(idp, { user, application, authenticationType: 'PASSWORD', authInstant, scope: granted.scope, grant: 'implicit' })
      : undefined;
    jti = access?.jti;
    const idToken = granted.wantsIdToken
      ? await signIdToken(idp, { user, application, authInstant, scope: granted.scope, nonce: params.nonce, ssoSessionId: sso?.id, ...(access && { accessToken: access.token }) })
      : undefined;
    location = redirectWith(granted.redirectUri, granted.mode, [
      ['access_token', access?.token],
      ['expires_in', access && String(access.ttlSeconds)],
      ['iss', idp.issuer],
      ['scope', granted.scope],
      ['state', params.state],
      ['token_type', access && 'Bearer'],
      ['userState', userState],
      ['id_token', idToken],
    ]);
  } else {
    const code = randomBytes(32).toString('base64url');
    idp.store.insertCode({
      code,
      applicationId: application.id,
      userId: user.id,
      redirectUri: granted.redirectUri,
      scope: granted.scope,
      nonce: params.nonce ?? null,
      codeChallenge: params.code_challenge ?? null,
      ssoSessionId: sso?.id ?? null,
      authInstant,
      expiresInstant: idp.now() + AUTHORIZATION_CODE_SECONDS * 1000,
    });
    location = redirectWith(granted.redirectUri, granted.mode, [
      ['code', code],
      ['iss', idp.issuer],
      ['state', params.state],
      ['userState', userState],
    ]);
  }
  idp.emit('idp.redirect.issued', {
    app: application.app,
    applicationId: application.id,
    userId: user.id,
    responseType: params.response_type,
    redirectUri: granted.redirectUri,
    via,
    ...(jti && { jti }),
    ...(sso && { ssoSessionId: sso.id }),
  });
  res.redirect(302, location);
}

/** `GET /oauth2/authorize` (SSO or the hosted form) and `POST /oauth2/authorize` (the form's submission). */
export function authorizeEndpoint(idp: Idp): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });

  router.get('/oauth2/authorize', async (req, res, next) => {
    const request = validateAuthorizeRequest(idp.directory, oauthParams(req.query as Record<string, unknown>));
    if (request.kind === 'page') return errorPage(idp, req, res, next, request.failure);
    if (request.kind === 'redirect-error') return redirectError(idp, res, request);
    const prompt = (request.params.prompt ?? '').split(' ');
    const sso = prompt.includes('login') ? undefined : activeSsoSession(idp, parseCookieHeader(req.headers.cookie)[SSO_COOKIE]);
    const user = sso && idp.store.userById(sso.userId);
    if (sso && user) {
      reuseSsoSession(idp, sso, user, request.application.app);
      return completeAuthorization(idp, res, request, user, sso.authInstant, sso, 'sso');
    }
    if (prompt.includes('none')) {
      return redirectError(idp, res, {
        kind: 'redirect-error',
        application: request.application,
        redirectUri: request.redirectUri,
        mode: request.mode,
        ...(request.params.state !== undefined && { state: request.params.state }),
        failure: { error: 'login_required', reason: 'login_required', description: 'The user is not logged in and prompt=none was requested.' },
      });
    }
    const loginHint = typeof req.query.login_hint === 'string' ? req.query.login_hint : undefined;
    renderHostedPage(idp, req, res, next, loginForm(request, formToken(idp, req, res), { ...(loginHint && { loginId: loginHint }) }), 200);
  });

  router.post('/oauth2/authorize', form, async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const request = validateAuthorizeRequest(idp.directory, oauthParams(body));
    if (request.kind === 'page') return errorPage(idp, req, res, next, request.failure);
    if (request.kind === 'redirect-error') return redirectError(idp, res, request);
    const loginId = typeof body.loginId === 'string' ? body.loginId : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const rememberDevice = body.rememberDevice === 'true';
    const again = (error: string) => renderHostedPage(idp, req, res, next, loginForm(request, formToken(idp, req, res), { loginId, error, rememberDevice }), 200);
    // Before any credential is looked at: a refused post changes nothing (no login, no failure counted).
    const refusal = formRefusal(idp, req, body[CSRF_FIELD]);
    if (refusal === 'cross-site') return again('This form was sent from another site, so it was not used. Log in here, on this page.');
    if (refusal === 'no-token') return again('This form had expired or was not sent from this page. Enter your email and password again.');
    if (!loginId || !password) return again('Enter your email and your password.');

    const result = await authenticate(idp, loginId, password, request.application.app);
    if (!result.ok) {
      return again(
        result.reason === 'locked'
          ? 'This account is locked after too many failed attempts (a login-preventing action). Wait a few minutes, then try again.'
          : 'Invalid login credentials. Check your email and password, then try again.',
      );
    }
    const { user } = result;
    const now = idp.now();
    idp.store.recordLogin(user.id, request.application.id, now);
    idp.emit('idp.login.succeeded', { userId: user.id, email: user.email, via: 'hosted-login', app: request.application.app, applicationId: request.application.id, rememberDevice });
    // "Keep me signed in" unchecked means no SSO session, as in FusionAuth.
    const sso = rememberDevice ? createSsoSession(idp, user, now) : undefined;
    if (sso) res.cookie(SSO_COOKIE, sso.token, ssoCookieOptions(idp));
    await completeAuthorization(idp, res, request, user, now, sso, 'hosted-login');
  });
  return router;
}
