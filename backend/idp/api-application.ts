import express, { type Router } from 'express';
import { checkTenantHeader, requireApiKey, sendEmpty, UUID_PATTERN } from './fusionauth-wire.js';
import type { Application } from './directory.js';
import type { Idp } from './idp.js';
import { keyApi } from './api-key.js';

const ROLES: Record<Application['app'], string[]> = { store: ['customer'], forum: ['member'] };

/**
 * One application as FusionAuth's Application API returns it (reference §5.1), filled from what the embedded
 * server really does: the Login API makes refresh tokens when `generateRefreshTokens` is set, the Refresh API is
 * always open (`allowTokenRefresh` true), tokens are RS256 with the one key, redirect URLs match exactly.
 */
export async function applicationJson(idp: Idp, a: Application) {
  const keys = await idp.keys;
  const { policy } = idp;
  return {
    id: a.id,
    tenantId: a.tenantId,
    name: a.name,
    active: true,
    state: 'Active',
    roles: ROLES[a.app].map((name) => ({ name, isDefault: false, isSuperRole: false })),
    loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: a.generateRefreshTokens, requireAuthentication: true },
    jwtConfiguration: {
      enabled: true,
      // The key's id, not its kid: FusionAuth keeps them apart, and so does the embedded server (keys.ts).
      accessTokenKeyId: keys.id,
      idTokenKeyId: keys.id,
      timeToLiveInSeconds: idp.ctx.config.ttl.accessTokenSeconds,
      refreshTokenTimeToLiveInMinutes: policy.timeToLiveInMinutes,
      refreshTokenExpirationPolicy: policy.expiration,
      refreshTokenUsagePolicy: policy.usage,
      refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: policy.oneTimeUseGracePeriodSeconds },
    },
    oauthConfiguration: {
      clientId: a.id,
      clientSecret: a.clientSecret,
      authorizedRedirectURLs: a.authorizedRedirectURLs,
      authorizedOriginURLs: [],
      authorizedURLValidationPolicy: 'ExactMatch',
      enabledGrants: a.enabledGrants,
      generateRefreshTokens: a.generateRefreshTokens,
      logoutURL: a.logoutURL,
      logoutBehavior: 'RedirectOnly',
      requireRegistration: false,
      clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE',
      proofKeyForCodeExchangePolicy: 'Required',
      scopeHandlingPolicy: idp.scopeHandling,
    },
  };
}

/**
 * `GET /api/application/{id}` and `GET /api/application` (all), API key only; unknown or non-UUID id → 404, empty.
 * The Key API rides on this router: it is the other read-only management API the connection check asks.
 */
export function applicationApi(idp: Idp): Router {
  const router = express.Router();
  router.use(keyApi(idp));
  router.get('/api/application/:applicationId', requireApiKey(idp), checkTenantHeader(idp), async (req, res, next) => {
    try {
      const id = String(req.params.applicationId);
      const found = UUID_PATTERN.test(id) ? idp.directory.byId(id.toLowerCase()) : undefined;
      if (!found) return sendEmpty(res, 404);
      res.json({ application: await applicationJson(idp, found) });
    } catch (err) {
      next(err);
    }
  });
  router.get('/api/application', requireApiKey(idp), checkTenantHeader(idp), async (_req, res, next) => {
    try {
      res.json({ applications: await Promise.all(idp.directory.applications.map((a) => applicationJson(idp, a))) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
