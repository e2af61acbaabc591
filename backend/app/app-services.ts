import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request } from 'express';
import type { SessionData } from 'express-session';
import { parseCookieHeader } from '../trace/cookies.js';
import type { JWTPayload } from 'jose';
import { request, type Dispatcher } from 'undici';
import { createClock } from '../clock.js';
import type { DemoSwitches } from '../demo-switches.js';
import { discoveryPath } from '../fusionauth/connection-check.js';
import { createJwtVerifier, type JwtVerifier } from '../fusionauth/jwt-verifier.js';
import { localhostAgent } from '../localhost-dispatcher.js';
import { IdentityUnavailableError } from './identity-outage.js';
import { SingleFlight } from './single-flight.js';
import type { LoginscopeContext } from '../context.js';
import { FusionAuthClient } from '../fusionauth/client.js';
import type { AppId } from '../hosts.js';
import type { SessionClient, SessionOrigin, SessionUser } from '../sessions/session-data.js';
import type { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import type { AppDatabase } from './app-db.js';
import type { IdentitySettings } from './identity-settings.js';

/** Everything one application backend's routes need; built once per app. */
export interface AppServices {
  app: AppId;
  ctx: LoginscopeContext;
  db: AppDatabase;
  sessions: SqliteSessionStore;
  identity: FusionAuthClient;
  settings: IdentitySettings;
  applicationId: string;
  cookieNames: { session: string; refreshToken: string };
  /** HttpOnly, SameSite=Lax, host-only, path /; Secure as configured. */
  cookieOptions: CookieOptions;
  switches: DemoSwitches;
  /** What the defences (backend/defences/) change in this backend's pages; all off at start. */
  pageDefences: { strictCsp: boolean };
  /**
   * Refreshes under way or just done, by the cookies that asked (refresh token and expired session id): the
   * concurrent requests of one browser share one refresh (native-refresh). Another client holding the same
   * refresh token, such as an attacker, sends other cookies and gets a refresh of its own.
   */
  refreshes: SingleFlight<RefreshedSession | undefined>;
  /** Verifies a JWT that came through the browser: signature via JWKS, iss, exp, and aud = this app unless switched off. */
  verifyJwt(token: string, options: { checkAudience: boolean }): Promise<JWTPayload>;
}

/** How long a refresh's result also answers the other requests of the same burst (same cookies) that arrive after it. */
const SHARED_REFRESH_MS = 10_000;

/** What one refresh produced: the session it opened, for every request that carried the same refresh token. */
export interface RefreshedSession {
  sid: string;
  user: SessionUser;
  /** Set when the identity server rotated the token (OneTimeUse): every waiting request passes it on too. */
  rotatedRefreshToken?: string;
}

export function cookieNames(app: AppId): AppServices['cookieNames'] {
  return { session: `${app}_session`, refreshToken: `${app}_refresh_token` };
}

export function createAppServices(options: Omit<AppServices, 'identity' | 'applicationId' | 'cookieNames' | 'cookieOptions' | 'verifyJwt' | 'refreshes' | 'pageDefences'>): AppServices {
  const { app, ctx, settings } = options;
  const identity = new FusionAuthClient({
    baseUrl: settings.internalUrl,
    apiKey: settings.apiKey,
    ...(settings.tenantId !== undefined && { tenantId: settings.tenantId }),
    actor: app === 'store' ? 'store-backend' : 'forum-backend',
    bus: ctx.bus,
    traceOrigin: settings.traceOrigin,
  });
  let verifier: Promise<JwtVerifier> | undefined;
  const getVerifier = () =>
    (verifier ??= discoverIssuer(settings).then((issuer) =>
      createJwtVerifier({
        jwksUrl: `${settings.internalUrl}/.well-known/jwks.json`,
        issuer,
        // A real FusionAuth stamps iat/exp by its own (real) time, which the inspector's clock does not move:
        // its JWTs are judged by real time, or every token after a clock advance would look expired.
        clock: settings.traceOrigin === 'external' ? createClock() : ctx.clock,
        // Through the traced client: the key fetch is this backend's call inside the request, not the browser's.
        fetchKeys: () => identity.jwks(),
      }),
    ).catch((err: unknown) => {
      verifier = undefined;
      throw err;
    }));
  return {
    ...options,
    identity,
    applicationId: settings.applications[app].id,
    cookieNames: cookieNames(app),
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, path: '/' },
    pageDefences: { strictCsp: false },
    refreshes: new SingleFlight(() => ctx.clock.now(), SHARED_REFRESH_MS),
    verifyJwt: async (token, { checkAudience }) =>
      (await getVerifier()).verify(token, checkAudience ? { audience: settings.applications[app].id } : {}),
  };
}

const discoveryAgent = localhostAgent();

/**
 * The issuer tokens must name: known for the embedded server, read from discovery for a real FusionAuth, for the
 * configured tenant (each tenant has its own issuer; without `tenantId` FusionAuth answers for the default one).
 */
export async function discoverIssuer(settings: Pick<IdentitySettings, 'issuer' | 'internalUrl' | 'tenantId'>, dispatcher: Dispatcher = discoveryAgent): Promise<string> {
  if (settings.issuer) return settings.issuer;
  try {
    const res = await request(`${settings.internalUrl}${discoveryPath(settings.tenantId)}`, { dispatcher });
    const doc = (await res.body.json()) as { issuer?: unknown };
    if (res.statusCode === 200 && typeof doc.issuer === 'string') return doc.issuer;
  } catch {
    // Unreachable or not JSON: reported below as the identity server being unavailable.
  }
  throw new IdentityUnavailableError('the identity server published no issuer in its OpenID configuration');
}

/**
 * Starts a server-side session for a user: always under a new id (regenerated at every login, against fixation),
 * ending the old one as "replaced".
 */
export async function startSession(services: AppServices, req: Request, user: SessionUser, jwt: string, origin: SessionOrigin): Promise<void> {
  const previous = req.sessionID;
  if (previous) services.sessions.end(previous, 'replaced');
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.user = user;
  req.session.jwt = jwt;
  req.session.origin = origin;
  req.session.client = clientOf(req);
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** The user agent and address a request came from (the loopback server sees every client at 127.0.0.1). */
export function clientOf(req: Request): SessionClient {
  return { userAgent: req.get('user-agent') ?? '', address: req.socket.remoteAddress ?? '' };
}

/**
 * The session id in an express-session cookie (`s:<id>.<HMAC-SHA256 of id, base64 without padding>`, URL-encoded),
 * when its signature is ours; undefined otherwise.
 */
export function signedSessionId(cookieValue: string | undefined, secret: string): string | undefined {
  if (cookieValue === undefined) return undefined;
  let decoded;
  try {
    decoded = decodeURIComponent(cookieValue);
  } catch {
    return undefined;
  }
  const dot = decoded.lastIndexOf('.');
  if (!decoded.startsWith('s:') || dot < 3) return undefined;
  const sid = decoded.slice(2, dot);
  const given = Buffer.from(decoded.slice(dot + 1));
  const expected = Buffer.from(createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected) ? sid : undefined;
}

/** The refresh-token cookie's value; null when it is there but not something we could have set. */
export function refreshTokenCookie(req: Request, services: AppServices): string | null | undefined {
  const raw = parseCookieHeader(req.headers.cookie)[services.cookieNames.refreshToken];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Makes this request's session the one another request of the same browser has just opened (a shared refresh):
 * express-session then sends that session's cookie with this answer too.
 */
export async function joinSession(services: AppServices, req: Request, sid: string): Promise<boolean> {
  const data = await new Promise<SessionData | null | undefined>((resolve, reject) => services.sessions.get(sid, (err, value) => (err ? reject(err) : resolve(value))));
  if (!data) return false;
  req.sessionID = sid;
  services.sessions.createSession(req, data);
  return true;
}
