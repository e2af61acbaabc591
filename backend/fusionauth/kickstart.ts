import { APPS, originUrl, redirectUri, type AppId } from '../hosts.js';
import { readIdentitySeed, type IdentitySeed } from '../idp/seed.js';

/**
 * The ready-made real FusionAuth (assets/fusionauth/): its kickstart.json and the Loginscope config that talks to it,
 * both generated from here so the ids, the demo user and the redirect URIs are the embedded server's seed and
 * exactly what our origins produce (hosts.ts redirectUri). `npx tsx backend/fusionauth/write-kickstart.ts` rewrites
 * the committed files; test/integration/kickstart.test.ts fails when they drift. Shape: fusionauth.md §5 and §7.
 */

export const DEFAULT_APP_PORT = 9311;
/** Where docker-compose.yml publishes FusionAuth (its usual port). */
export const FUSIONAUTH_URL = 'http://localhost:9011';
/** A fixed key, so the config file can name it: for a local demo FusionAuth only. */
export const DEMO_API_KEY = 'loginscope-local-demo-api-key-not-for-production-0001';
/** The RSA signing key kickstart generates (fixed so the applications can name it). */
export const RSA_KEY_ID = '5f1c0e3a-6b7d-4c2e-9a18-2f4b6d8e0c11';

/** Short lifetimes, so expiry can be shown in real time against a FusionAuth whose clock the inspector cannot move. */
export const DEMO_TTL = {
  accessTokenSeconds: 300,
  refreshTokenMinutes: 10,
  ssoSessionSeconds: 600,
  sessionIdleSeconds: 120,
  sessionAbsoluteSeconds: 8 * 3600,
} as const;

type Json = Record<string, unknown>;

function applicationBody(app: AppId, seed: IdentitySeed, port: number): Json {
  const a = seed.applications.find((x) => x.app === app)!;
  const roles = [...new Set(seed.users.flatMap((u) => u.registrations.filter((r) => r.app === app).flatMap((r) => r.roles)))];
  return {
    application: {
      name: a.name,
      roles: roles.map((name) => ({ name })),
      loginConfiguration: { requireAuthentication: true, generateRefreshTokens: true, allowTokenRefresh: true },
      jwtConfiguration: {
        enabled: true,
        accessTokenKeyId: '#{rsaKeyId}',
        idTokenKeyId: '#{rsaKeyId}',
        timeToLiveInSeconds: DEMO_TTL.accessTokenSeconds,
        refreshTokenTimeToLiveInMinutes: DEMO_TTL.refreshTokenMinutes,
        refreshTokenUsagePolicy: 'Reusable',
        refreshTokenExpirationPolicy: 'Fixed',
      },
      oauthConfiguration: {
        authorizedRedirectURLs: [redirectUri(app, port)],
        authorizedURLValidationPolicy: 'ExactMatch',
        enabledGrants: ['implicit', 'authorization_code', 'refresh_token'],
        generateRefreshTokens: true,
        requireRegistration: true,
        clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE',
        proofKeyForCodeExchangePolicy: 'Required',
        logoutURL: `${originUrl(app, port)}/`,
        logoutBehavior: 'RedirectOnly',
        // FusionAuth's default for new applications, and the embedded server's: access tokens name the user by sub only;
        // the backends ask the User API for the email and name (native refresh, start-session API).
        scopeHandlingPolicy: 'Strict',
      },
    },
  };
}

/** FusionAuth's kickstart file (§7.1 format) for apps on `port`. */
export function buildKickstart(port = DEFAULT_APP_PORT, seed: IdentitySeed = readIdentitySeed()): Json {
  const user = seed.users.find((u) => u.email === 'demo@example.com');
  if (!user) throw new Error('the identity seed has no demo@example.com');
  const appVar: Record<AppId, string> = { store: 'storeAppId', forum: 'forumAppId' };
  const [first, ...rest] = user.registrations;
  if (!first) throw new Error('the demo user is registered to no application');
  return {
    variables: {
      apiKey: DEMO_API_KEY,
      defaultTenantId: seed.tenant.id,
      storeAppId: seed.applications.find((a) => a.app === 'store')!.id,
      forumAppId: seed.applications.find((a) => a.app === 'forum')!.id,
      rsaKeyId: RSA_KEY_ID,
      userId: user.id,
    },
    apiKeys: [{ key: '#{apiKey}', description: 'Loginscope application backends (local demo key)' }],
    requests: [
      { method: 'POST', url: '/api/key/generate/#{rsaKeyId}', body: { key: { algorithm: 'RS256', name: 'Loginscope demo RS256', length: 2048 } } },
      { method: 'PATCH', url: '/api/tenant/#{defaultTenantId}', body: { tenant: { issuer: FUSIONAUTH_URL, httpSessionMaxInactiveInterval: DEMO_TTL.ssoSessionSeconds } } },
      ...APPS.map((app) => ({ method: 'POST', url: `/api/application/#{${appVar[app]}}`, tenantId: '#{defaultTenantId}', body: applicationBody(app, seed, port) })),
      {
        method: 'POST',
        url: '/api/user/registration/#{userId}',
        body: {
          user: { email: user.email, password: user.password, firstName: user.firstName, lastName: user.lastName },
          registration: { applicationId: `#{${appVar[first.app]}}`, roles: first.roles },
        },
      },
      ...rest.map((r) => ({ method: 'POST', url: '/api/user/registration/#{userId}', body: { registration: { applicationId: `#{${appVar[r.app]}}`, roles: r.roles } } })),
    ],
  };
}

/** assets/fusionauth/loginscope.config.json: `npm start -- --config` it once FusionAuth is up. */
export function buildRealFusionAuthConfig(seed: IdentitySeed = readIdentitySeed()): Json {
  const id = (app: AppId) => seed.applications.find((a) => a.app === app)!.id;
  return {
    identity: {
      kind: 'fusionauth',
      url: FUSIONAUTH_URL,
      apiKey: DEMO_API_KEY,
      applications: { store: { id: id('store') }, forum: { id: id('forum') } },
    },
    ttl: { ...DEMO_TTL },
  };
}

/** The committed files' text: two-space JSON with a final newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
