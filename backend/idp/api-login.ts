import express, { type Router } from 'express';
import { authenticate } from './authenticate.js';
import {
  bodyObject,
  checkTenantHeader,
  requireApiKey,
  sendEmpty,
  setTokenCookies,
  stringField,
  UUID_PATTERN,
  type FusionAuthErrors,
} from './fusionauth-wire.js';
import type { Idp } from './idp.js';
import { createRefreshToken } from './refresh-tokens.js';
import { registrationFor, signAccessToken } from './tokens.js';
import { userJson } from './user-json.js';

/**
 * `POST /api/login`: FusionAuth's Login API. 200 with tokens, 202 when not registered for the application,
 * 404 for a wrong email or password, 409 while locked (only with identity.lockout on), 400 with fieldErrors, 401 without the API key.
 * Sets FusionAuth's own token cookies on its host and, as FusionAuth, creates no SSO session.
 */
export function loginApi(idp: Idp): Router {
  const router = express.Router();
  router.post('/api/login', requireApiKey(idp), checkTenantHeader(idp), async (req, res) => {
    const body = bodyObject(req);
    const loginId = stringField(body, 'loginId');
    const password = stringField(body, 'password');
    const errors: FusionAuthErrors = { fieldErrors: {}, generalErrors: [] };
    if (!loginId) errors.fieldErrors.loginId = [{ code: '[blank]loginId', message: 'You must specify the [loginId] property.' }];
    if (!password) errors.fieldErrors.password = [{ code: '[blank]password', message: 'You must specify the [password] property.' }];
    const rawApplicationId = body.applicationId;
    const application = typeof rawApplicationId === 'string' ? idp.directory.byId(rawApplicationId) : undefined;
    if (rawApplicationId !== undefined && rawApplicationId !== null && !application) {
      errors.fieldErrors.applicationId =
        typeof rawApplicationId === 'string' && UUID_PATTERN.test(rawApplicationId)
          ? [{ code: '[invalid]applicationId', message: `The Id [${rawApplicationId}] is not a valid application.` }]
          : [{ code: '[couldNotConvert]applicationId', message: 'Invalid [applicationId]: it must be a UUID.' }];
    }
    if (Object.keys(errors.fieldErrors).length > 0 || !loginId || !password) {
      res.status(400).json(errors);
      return;
    }

    const result = await authenticate(idp, loginId, password, application?.app);
    if (!result.ok) {
      if (result.reason !== 'locked') return sendEmpty(res, 404);
      // What FusionAuth answers while a failed-authentication user action that prevents login is on the user.
      res.status(409).json({ actions: [lockAction(result.lockedUntil)] });
      return;
    }

    const { user } = result;
    const now = idp.now();
    idp.store.recordLogin(user.id, application?.id, now);
    const registered = Boolean(registrationFor(idp, user.id, application?.id));
    const status = application && !registered ? 202 : 200;
    idp.emit('idp.login.succeeded', { userId: user.id, email: user.email, via: 'login-api', status, ...(application && { app: application.app, applicationId: application.id }) });

    const response: Record<string, unknown> = {};
    if (body.noJWT !== true) {
      // A refresh token only for a registered user of an application that generates them, as in FusionAuth.
      const refresh =
        application && registered && application.generateRefreshTokens
          ? createRefreshToken(idp, { userId: user.id, application, authInstant: now, grantType: 'password' })
          : undefined;
      const access = await signAccessToken(idp, {
        user,
        ...(application && { application }),
        authenticationType: 'PASSWORD',
        authInstant: now,
        ...(refresh && { refreshTokenId: refresh.id }),
      });
      if (refresh) Object.assign(response, { refreshToken: refresh.token, refreshTokenId: refresh.id });
      Object.assign(response, { token: access.token, tokenExpirationInstant: access.expiresInstant });
      setTokenCookies(idp, res, access.token, refresh?.token);
    }
    response.user = userJson(idp, idp.store.userById(user.id)!);
    res.status(status).json(response);
  });
  return router;
}

/** The embedded server's one failed-authentication action (FusionAuth's tenant `failedAuthenticationConfiguration.userActionId`). */
const LOCK_ACTION_ID = 'a0b1c2d3-0000-4000-8000-00000000f417';

/** A LoginPreventedResponse, as in FusionAuth's 409 body. */
function lockAction(expiry: number | undefined) {
  return {
    actionId: LOCK_ACTION_ID,
    name: 'Lock',
    localizedName: 'Lock',
    reason: 'Too many failed login attempts',
    localizedReason: 'Too many failed login attempts',
    reasonCode: 'failed_authentication',
    ...(expiry !== undefined && { expiry }),
  };
}
