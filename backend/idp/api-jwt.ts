import express, { type Request, type Response, type Router } from 'express';
import { exportSPKI } from 'jose';
import {
  bodyObject,
  checkTenantHeader,
  fieldError,
  generalError,
  requireApiKey,
  sendEmpty,
  setTokenCookies,
  stringField,
  UUID_PATTERN,
  cookieValue,
} from './fusionauth-wire.js';
import type { Idp } from './idp.js';
import { createRefreshToken, exchangeRefreshToken, refreshTokenJson, refreshTokenStatus, type RefreshRejection } from './refresh-tokens.js';
import type { RefreshTokenRecord } from './store.js';
import { registrationFor, signAccessToken, tokenKind, verifyOwnJwt, verifyOwnToken } from './tokens.js';


/** A bearer token from `Authorization`, else FusionAuth's `access_token` cookie. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ?? cookieValue(req, 'access_token');
}

/** A dead, unknown, replayed or revoked refresh token: 400 `[invalid]refreshToken` like FusionAuth, or 404 as the seed's article draws it. */
function sendDeadRefreshToken(idp: Idp, res: Response): void {
  if (idp.policy.deadTokenStatus === 404) return sendEmpty(res, 404);
  res.status(400).json(fieldError('refreshToken', 'invalid', 'The refresh token was not found or has expired.'));
}

function emitRejected(idp: Idp, reason: RefreshRejection, record: RefreshTokenRecord | undefined, via: string): void {
  const app = record && idp.directory.byId(record.applicationId)?.app;
  idp.emit('idp.refresh.rejected', { reason, via, ...(record && { refreshTokenId: record.id, userId: record.userId, applicationId: record.applicationId }), ...(app && { app }) });
}

/** The JWT APIs: refresh, validate, issue, retrieve and revoke refresh tokens, public keys. */
export function jwtApi(idp: Idp): Router {
  const router = express.Router();
  const apiKey = requireApiKey(idp);
  const tenant = checkTenantHeader(idp);

  // Anonymous, as in FusionAuth: the refresh token is the credential. The cookie wins over the body.
  router.post('/api/jwt/refresh', tenant, async (req, res) => {
    const body = bodyObject(req);
    const value = cookieValue(req, 'refresh_token') ?? stringField(body, 'refreshToken');
    if (!value) {
      res.status(400).json(fieldError('refreshToken', 'missing', 'You must specify the [refreshToken] property or send the [refresh_token] cookie.'));
      return;
    }
    const ttl = body.timeToLiveInSeconds;
    if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > idp.ctx.config.ttl.accessTokenSeconds)) {
      res.status(400).json(fieldError('timeToLiveInSeconds', 'invalid', `The [timeToLiveInSeconds] must be between 1 and ${idp.ctx.config.ttl.accessTokenSeconds}.`));
      return;
    }
    const result = exchangeRefreshToken(idp, value);
    if (!result.ok) {
      emitRejected(idp, result.reason, result.record, 'jwt-refresh-api');
      return sendDeadRefreshToken(idp, res);
    }
    const { record } = result;
    const user = idp.store.userById(record.userId);
    if (!user) return sendEmpty(res, 404);
    const application = idp.directory.byId(record.applicationId);
    const access = await signAccessToken(idp, {
      user,
      ...(application && { application }),
      authenticationType: 'REFRESH_TOKEN',
      authInstant: record.authInstant,
      refreshTokenId: record.id,
      ...(record.scopes.length > 0 && { scope: record.scopes.join(' ') }),
      ...(typeof ttl === 'number' && { ttlSeconds: ttl }),
    });
    idp.emit('idp.refresh.issued', {
      refreshTokenId: record.id,
      userId: user.id,
      email: user.email,
      jti: access.jti,
      rotated: result.rotated,
      graced: result.graced,
      via: 'jwt-refresh-api',
      ...(application && { app: application.app, applicationId: application.id }),
    });
    setTokenCookies(idp, res, access.token, record.token);
    res.json({ refreshToken: record.token, refreshTokenId: record.id, token: access.token });
  });

  // No API key: the token is checked against our key, issuer and the clock. Any failure is 401 with no body.
  router.get('/api/jwt/validate', async (req, res) => {
    const jwt = bearerToken(req);
    const claims = jwt && (await verifyOwnToken(idp, jwt));
    if (!claims) return sendEmpty(res, 401);
    res.json({ jwt: claims });
  });

  router.get('/api/jwt/refresh/:tokenId', apiKey, tenant, (req, res) => {
    const record = idp.store.refreshTokenById(String(req.params.tokenId));
    if (!record || refreshTokenStatus(idp, record) !== 'active') return sendEmpty(res, 404);
    res.json({ refreshToken: refreshTokenJson(idp, record) });
  });

  router.get('/api/jwt/refresh', apiKey, tenant, (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
    if (!userId) return void res.status(400).json(fieldError('userId', 'missing', 'You must specify the [userId] parameter.'));
    if (!UUID_PATTERN.test(userId)) return void res.status(400).json(fieldError('userId', 'couldNotConvert', 'Invalid [userId]: it must be a UUID.'));
    const live = idp.store.refreshTokens({ userId }).filter((t) => refreshTokenStatus(idp, t) === 'active');
    res.json({ refreshTokens: live.map((t) => refreshTokenJson(idp, t)) });
  });

  const revoke = (req: Request, res: Response) => {
    const now = idp.now();
    const body = bodyObject(req);
    const param = (name: string) => (typeof req.query[name] === 'string' && req.query[name] !== '' ? (req.query[name] as string) : stringField(body, name));
    const tokenId = req.params.tokenId ? String(req.params.tokenId) : undefined;
    const token = param('token');
    const userId = param('userId');
    const applicationId = param('applicationId');
    const revokeOne = (record: RefreshTokenRecord | undefined) => {
      if (!record || record.revokedInstant !== null) return sendEmpty(res, 404);
      idp.store.revokeRefreshToken(record.id, now, 'revoked-by-api');
      res.status(200).end();
    };
    if (tokenId) return revokeOne(idp.store.refreshTokenById(tokenId));
    if (token) return revokeOne(idp.store.refreshTokenByValue(token));
    if (userId || applicationId) {
      for (const record of idp.store.refreshTokens({ ...(userId && { userId }), ...(applicationId && { applicationId }) })) {
        idp.store.revokeRefreshToken(record.id, now, 'revoked-by-api');
      }
      return void res.status(200).end();
    }
    res.status(400).json(generalError('[invalid]', 'You must specify a refresh token Id, a [token], a [userId] or an [applicationId].'));
  };
  router.delete('/api/jwt/refresh/:tokenId', apiKey, tenant, revoke);
  router.delete('/api/jwt/refresh', apiKey, tenant, revoke);

  // The Issue API: a JWT for another application of the tenant, from a JWT of one. JWT authentication (Bearer or
  // the access_token cookie); the new token keeps the presented one's expiration. 202 when the user is not
  // registered to the target application (no applicationId or roles in the token), as FusionAuth answers.
  router.get('/api/jwt/issue', tenant, async (req, res) => {
    const jwt = bearerToken(req);
    const verified = jwt ? await verifyOwnJwt(idp, jwt) : undefined;
    const claims = verified?.payload;
    const user = typeof claims?.sub === 'string' ? idp.store.userById(claims.sub) : undefined;
    if (!claims || !user || typeof claims.exp !== 'number' || tokenKind(claims, verified.header) !== 'access_token') return sendEmpty(res, 401);
    const applicationId = typeof req.query.applicationId === 'string' && req.query.applicationId !== '' ? req.query.applicationId : undefined;
    if (!applicationId) return void res.status(400).json(fieldError('applicationId', 'missing', 'You must specify the [applicationId] parameter.'));
    if (!UUID_PATTERN.test(applicationId)) return void res.status(400).json(fieldError('applicationId', 'couldNotConvert', 'Invalid [applicationId]: it must be a UUID.'));
    const application = idp.directory.byId(applicationId.toLowerCase());
    if (!application) return void res.status(400).json(fieldError('applicationId', 'invalid', `The Id [${applicationId}] is not a valid application.`));
    const registered = Boolean(registrationFor(idp, user.id, application.id));

    // A refresh token for the target application only from a live one of the same user (the cookie wins over the
    // parameter), when the target generates them; it keeps the source token's start, so it ends when that one does.
    const presented = cookieValue(req, 'refresh_token') ?? (typeof req.query.refreshToken === 'string' && req.query.refreshToken !== '' ? req.query.refreshToken : undefined);
    const source = presented ? idp.store.refreshTokenByValue(presented) : undefined;
    const refresh =
      source && source.userId === user.id && refreshTokenStatus(idp, source) === 'active' && registered && application.generateRefreshTokens
        ? createRefreshToken(idp, { userId: user.id, application, authInstant: source.authInstant, grantType: source.grantType, startInstant: source.startInstant })
        : undefined;
    const access = await signAccessToken(idp, {
      user,
      application,
      authenticationType: 'JWT_SSO',
      authInstant: typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : idp.now(),
      expiresAtSeconds: claims.exp,
      ...(refresh && { refreshTokenId: refresh.id }),
    });
    res.status(registered ? 200 : 202).json({ ...(refresh && { refreshToken: refresh.token }), token: access.token });
  });

  router.get('/api/jwt/public-key', async (req, res) => {
    const keys = await idp.keys;
    const pem = await exportSPKI(keys.publicKey);
    const { applicationId, kid } = req.query;
    if (applicationId !== undefined) {
      if (typeof applicationId !== 'string' || !idp.directory.byId(applicationId)) return sendEmpty(res, 404);
      return void res.json({ publicKey: pem });
    }
    if (kid !== undefined) {
      if (kid !== keys.kid) return sendEmpty(res, 404);
      return void res.json({ publicKey: pem });
    }
    res.json({ publicKeys: { [keys.kid]: pem } });
  });
  return router;
}
