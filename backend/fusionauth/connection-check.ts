import { request, type Dispatcher } from 'undici';
import type { IdentitySettings } from '../app/identity-settings.js';
import { APPS, redirectUri, type AppId } from '../hosts.js';
import { localhostAgent } from '../localhost-dispatcher.js';
import { ACTOR_HEADER } from '../trace/types.js';

/** The demo user of the outside contract (design.md); the check looks it up by email. */
export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';

/** What failed, by area: `url` and `apiKey` stop start-up; the others are reported and the demo runs anyway. */
export type CheckName = 'url' | 'apiKey' | 'application' | 'grants' | 'refreshTokens' | 'redirectUri' | 'jwks' | 'demoUser';

export interface CheckProblem {
  check: CheckName;
  /** Which application it is about, when it is about one. */
  app?: AppId;
  /** One line naming what to fix. */
  message: string;
}

export interface ConnectionCheckResult {
  ok: boolean;
  /** A wrong URL or API key: nothing else could be checked, and start-up stops. */
  fatal: boolean;
  /** Wall-clock ms. */
  checkedAt: number;
  url: string;
  problems: CheckProblem[];
}

/** Start-up stops on this one (exit code 2): its message is the one line to print. */
export class IdentityConnectionError extends Error {
  override readonly name = 'IdentityConnectionError';
  constructor(readonly result: ConnectionCheckResult) {
    super(result.problems.map((p) => p.message).join(' '));
  }
}

export interface CheckTarget {
  settings: Pick<IdentitySettings, 'internalUrl' | 'apiKey' | 'tenantId' | 'applications'>;
  /** The port our apps run on: the redirect URIs they send are built for it. */
  port: number;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /**
   * The ACTOR_HEADER value that keeps the embedded server's recorder from filing these calls as browser traffic:
   * `bus.actorHeader('store-backend')`, since the recorder believes only this launch's key.
   */
  actorHeader?: string;
}

interface Answer {
  status: number;
  body: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const NEEDED_GRANTS = ['implicit', 'refresh_token'] as const;

/** Every API call Loginscope makes with the API key: a restricted key must allow all of them. */
export const API_KEY_CALLS = 'GET /api/application, GET /api/user, POST /api/login, GET and DELETE /api/jwt/refresh, and GET /api/key';

/** What a user of the bundled docker-compose file runs to see FusionAuth's log. */
const COMPOSE_LOGS = 'docker compose -f assets/fusionauth/docker-compose.yml logs fusionauth';

/**
 * FusionAuth's kickstart creates the API key only once FusionAuth answers, so a first start can meet a 401 that only
 * means "not yet". Its runner logs a "Summary:" of what it completed when it is done.
 */
export const KICKSTART_DONE_HINT = `if this FusionAuth has just started for the first time, its kickstart may still be running: it has finished when FusionAuth's log (\`${COMPOSE_LOGS}\`) shows KickstartRunner's "Summary:" line`;

/** The OpenID configuration for the configured tenant: without `tenantId` FusionAuth answers for the default one. */
export function discoveryPath(tenantId: string | undefined): string {
  return `/.well-known/openid-configuration${tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : ''}`;
}

/**
 * Checks that a FusionAuth (or the embedded server) is set up for both workflows: it answers (for the configured
 * tenant), takes the API key, has both applications with the implicit and refresh_token grants, Login-API refresh
 * tokens, our exact redirect URIs and a published asymmetric signing key, and knows the demo user. Read-only
 * calls; none of them is traced.
 */
export async function checkIdentityConnection(target: CheckTarget): Promise<ConnectionCheckResult> {
  const base = target.settings.internalUrl.replace(/\/$/, '');
  const timeoutMs = target.timeoutMs ?? 5000;
  const dispatcher = target.dispatcher ?? localhostAgent({ timeoutMs });
  const problems: CheckProblem[] = [];
  const done = (fatal: boolean): ConnectionCheckResult => ({ ok: problems.length === 0, fatal, checkedAt: Date.now(), url: base, problems });

  const get = async (path: string, apiKey: boolean): Promise<Answer> => {
    // The actor header keeps the embedded server's recorder from filing these calls as browser traffic.
    const headers: Record<string, string> = { accept: 'application/json', [ACTOR_HEADER]: target.actorHeader ?? 'store-backend' };
    if (apiKey) headers.authorization = target.settings.apiKey;
    if (apiKey && target.settings.tenantId) headers['x-fusionauth-tenantid'] = target.settings.tenantId;
    const res = await request(`${base}${path}`, { method: 'GET', headers, dispatcher, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.statusCode, body };
  };

  // 1. The URL answers, with an OpenID configuration (every FusionAuth has one).
  let discovery: Answer;
  try {
    discovery = await get(discoveryPath(target.settings.tenantId), false);
  } catch (err) {
    problems.push({ check: 'url', message: `FusionAuth does not answer at ${base} (${(err as Error).message}): set identity.url (or identity.internalUrl) to where FusionAuth runs, e.g. http://localhost:9011.` });
    return done(true);
  }
  if (discovery.status !== 200 || !isObject(discovery.body) || typeof discovery.body.issuer !== 'string') {
    problems.push({ check: 'url', message: `${base}/.well-known/openid-configuration answered ${discovery.status} without an issuer, so ${base} is not FusionAuth: set identity.url to FusionAuth's address, e.g. http://localhost:9011.` });
    return done(true);
  }

  // 2. The API key is accepted, and 3. both applications exist and are set up for the workflows.
  const signingKeys = new Map<AppId, string>();
  for (const app of APPS) {
    const id = target.settings.applications[app].id;
    let answer: Answer;
    try {
      answer = await get(`/api/application/${encodeURIComponent(id)}`, true);
    } catch (err) {
      problems.push({ check: 'url', message: `FusionAuth at ${base} stopped answering (${(err as Error).message}): check that it is running.` });
      return done(true);
    }
    if (answer.status === 401) {
      problems.push({ check: 'apiKey', message: `FusionAuth refused the API key (401 on GET /api/application): set identity.apiKey to a key from FusionAuth's Settings → API Keys that may call ${API_KEY_CALLS}; or, ${KICKSTART_DONE_HINT}, then start Loginscope again.` });
      return done(true);
    }
    if (answer.status === 404 || answer.status === 400) {
      problems.push({ check: 'application', app, message: `identity.applications.${app}.id ${id} is not an application in FusionAuth: set it to the id of the ${app} application (Applications page).` });
      continue;
    }
    const application = isObject(answer.body) && isObject(answer.body.application) ? answer.body.application : undefined;
    if (answer.status !== 200 || !application) {
      problems.push({ check: 'application', app, message: `FusionAuth answered ${answer.status} to GET /api/application/${id} without an application: check identity.applications.${app}.id and FusionAuth's log.` });
      continue;
    }
    const oauth = isObject(application.oauthConfiguration) ? application.oauthConfiguration : {};
    const login = isObject(application.loginConfiguration) ? application.loginConfiguration : {};
    const jwt = isObject(application.jwtConfiguration) ? application.jwtConfiguration : {};
    const grants = strings(oauth.enabledGrants);
    const missing = NEEDED_GRANTS.filter((g) => !grants.includes(g));
    if (missing.length > 0) {
      problems.push({ check: 'grants', app, message: `The ${app} application does not enable the ${missing.join(' and ')} grant${missing.length > 1 ? 's' : ''}: add ${missing.join(' and ')} to its OAuth → Enabled grants.` });
    }
    if (login.generateRefreshTokens !== true) {
      problems.push({ check: 'refreshTokens', app, message: `The ${app} application does not generate refresh tokens for the Login API: turn on loginConfiguration.generateRefreshTokens (Security → Login API settings → Generate refresh tokens).` });
    }
    if (login.allowTokenRefresh !== true) {
      problems.push({ check: 'refreshTokens', app, message: `The ${app} application does not allow JWT refresh: turn on loginConfiguration.allowTokenRefresh (Security → Login API settings → Enable JWT refresh).` });
    }
    const wanted = redirectUri(app, target.port);
    const registered = strings(oauth.authorizedRedirectURLs);
    if (!registered.includes(wanted)) {
      problems.push({ check: 'redirectUri', app, message: `The ${app} application does not register ${wanted} exactly (it has ${registered.length ? registered.join(', ') : 'none'}): add it to OAuth → Authorized redirect URLs.` });
    }
    if (jwt.enabled === true && typeof jwt.accessTokenKeyId === 'string') signingKeys.set(app, jwt.accessTokenKeyId);
  }

  // 4. An asymmetric signing key: the JWKS is not empty, and it holds the key each application signs with.
  // An application names its key by the key's id (a UUID); the JWKS carries the key's kid, a different value,
  // so the Key API tells which kid that is.
  try {
    const jwks = await get('/.well-known/jwks.json', false);
    const keys = isObject(jwks.body) && Array.isArray(jwks.body.keys) ? jwks.body.keys.filter(isObject) : undefined;
    if (jwks.status !== 200 || !keys) {
      problems.push({ check: 'jwks', message: `${base}/.well-known/jwks.json answered ${jwks.status} without keys: the backends cannot verify tokens; check FusionAuth's Key Master.` });
    } else if (keys.length === 0) {
      problems.push({ check: 'jwks', message: `FusionAuth publishes no public signing key (its JWKS is empty: tokens are HMAC-signed): generate an RSA key in Settings → Key Master and make it both applications' access token signing key (JWT tab).` });
    } else {
      const published = new Set(keys.map((k) => k.kid));
      // Both applications usually share one key: ask for each key once, and report a refusal once.
      const lookups = new Map<string, Answer>();
      for (const [app, keyId] of signingKeys) {
        const seen = lookups.get(keyId);
        const answer = seen ?? (await get(`/api/key/${encodeURIComponent(keyId)}`, true));
        lookups.set(keyId, answer);
        const key = isObject(answer.body) && isObject(answer.body.key) ? answer.body.key : undefined;
        if (answer.status === 401) {
          if (!seen) problems.push({ check: 'jwks', message: `FusionAuth refused GET /api/key/${keyId} with the API key (401): allow identity.apiKey to call GET /api/key, so the applications' signing keys can be checked.` });
        } else if (answer.status === 404) {
          problems.push({ check: 'jwks', app, message: `The ${app} application signs access tokens with key ${keyId}, which FusionAuth's Key API does not know (404 on GET /api/key/${keyId}): choose an RSA key from Settings → Key Master as its access token signing key (JWT tab).` });
        } else if (answer.status !== 200 || !key) {
          problems.push({ check: 'jwks', app, message: `FusionAuth answered ${answer.status} to GET /api/key/${keyId} without a key: check the ${app} application's access token signing key (JWT tab) and FusionAuth's log.` });
        } else if (key.type === 'HMAC' || (typeof key.algorithm === 'string' && key.algorithm.startsWith('HS'))) {
          problems.push({ check: 'jwks', app, message: `The ${app} application signs access tokens with key ${keyId}, which is not in FusionAuth's JWKS (an HMAC key, ${String(key.algorithm)}, is never published): choose an RSA key as its access token signing key (JWT tab).` });
        } else if (typeof key.kid !== 'string' || !published.has(key.kid)) {
          problems.push({ check: 'jwks', app, message: `The ${app} application signs access tokens with key ${keyId}, which is not in FusionAuth's JWKS (its kid ${typeof key.kid === 'string' ? key.kid : '(none)'} is not published): check Settings → Key Master, and that identity.internalUrl reaches the same FusionAuth as identity.url.` });
        }
      }
    }
  } catch (err) {
    problems.push({ check: 'jwks', message: `FusionAuth's JWKS or Key API could not be read (${(err as Error).message}): check that ${base}/.well-known/jwks.json and GET /api/key answer.` });
  }

  // 5. The demo user exists and is registered to both applications.
  try {
    const user = await get(`/api/user?email=${encodeURIComponent(DEMO_EMAIL)}`, true);
    const found = isObject(user.body) && isObject(user.body.user) ? user.body.user : undefined;
    if (user.status === 404) {
      problems.push({ check: 'demoUser', message: `The demo user ${DEMO_EMAIL} is not in FusionAuth: create it with password ${DEMO_PASSWORD} and register it to the store and forum applications.` });
    } else if (user.status === 401) {
      problems.push({ check: 'demoUser', message: `FusionAuth refused GET /api/user with the API key (401): allow identity.apiKey to call GET /api/user, so the demo user can be found.` });
    } else if (user.status !== 200 || !found) {
      problems.push({ check: 'demoUser', message: `FusionAuth answered ${user.status} when asked for ${DEMO_EMAIL}: check FusionAuth's log (its search index?).` });
    } else {
      const registeredTo = new Set((Array.isArray(found.registrations) ? found.registrations.filter(isObject) : []).map((r) => r.applicationId));
      for (const app of APPS) {
        const id = target.settings.applications[app].id;
        if (!problems.some((p) => p.check === 'application' && p.app === app) && !registeredTo.has(id)) {
          problems.push({ check: 'demoUser', app, message: `The demo user ${DEMO_EMAIL} is not registered to the ${app} application: add a registration for it (Users → ${DEMO_EMAIL} → Add registration).` });
        }
      }
    }
  } catch (err) {
    problems.push({ check: 'demoUser', message: `The demo user could not be looked up (${(err as Error).message}): check that FusionAuth answers GET /api/user.` });
  }
  return done(false);
}
