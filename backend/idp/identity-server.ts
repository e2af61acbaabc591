import { randomBytes } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { LoginscopeContext } from '../context.js';
import { openDatabase } from '../db.js';
import { jsonErrorHandler, sendError } from '../errors.js';
import { EXCHANGE_HEADER } from '../fusionauth/trace-headers.js';
import { APPS, type AppId } from '../hosts.js';
import { createOriginApp } from '../origin-app.js';
import { noStore } from '../security-headers.js';
import type { TraceBus } from '../trace/bus.js';
import { runInExchange } from '../trace/context.js';
import { ACTOR_HEADER } from '../trace/types.js';
import { createIdentityAdmin, type IdentityAdmin } from './admin.js';
import { applicationApi } from './api-application.js';
import { forgetBrowserRoute } from './forget-browser.js';
import { jwtApi } from './api-jwt.js';
import { loginApi } from './api-login.js';
import { logoutApi } from './api-logout.js';
import { userApi } from './api-user.js';
import { loadDirectory } from './directory.js';
import { fusionAuthErrorHandler, sendEmpty } from './fusionauth-wire.js';
import type { Idp } from './idp.js';
import { loadOrCreateSigningKeys } from './keys.js';
import { homePage } from './home-page.js';
import { authorizeEndpoint } from './oauth-authorize.js';
import { sessionEndpoints } from './oauth-session.js';
import { introspectionEndpoint } from './oauth-introspect.js';
import { tokenEndpoint } from './oauth-token.js';
import { initialRefreshTokenPolicy, scopeHandlingPolicy } from './policy.js';
import { IDENTITY_MIGRATIONS } from './schema.js';
import { applyIdentitySeed, readIdentitySeed } from './seed.js';
import { IdentityStore } from './store.js';
import { wellKnown } from './well-known.js';
import { jsonBody } from '../json-body.js';

export type { IdentityAdmin } from './admin.js';
export type { RefreshTokenView, SsoSessionView, UserView } from './admin-views.js';

/** What a FusionAuth client needs to talk to the embedded identity server. */
export interface IdentityInfo {
  /** `http://login.localhost:<port>`: for browsers, and for server-to-server calls through localhostAgent(). */
  publicUrl: string;
  apiKey: string;
  tenantId: string;
  issuer: string;
  applications: Record<AppId, { id: string; clientSecret: string }>;
}

/** The embedded FusionAuth-compatible identity server at `login.localhost`, with its own database. */
export interface IdentityServer {
  app: Express;
  info: IdentityInfo;
  admin: IdentityAdmin;
  close(): void;
}

/**
 * Backend calls are recorded by the FusionAuth client, which names its exchange in a header: running the
 * handler inside that exchange ties what the identity server does (idp.* events) to the call that caused it.
 */
const joinCallersExchange = (bus: TraceBus): RequestHandler => (req, _res, next) => {
  const actor = bus.actorOf(req.get(ACTOR_HEADER));
  const id = Number(req.get(EXCHANGE_HEADER));
  if ((actor === 'store-backend' || actor === 'forum-backend') && Number.isSafeInteger(id) && id > 0) return runInExchange(id, next);
  next();
};

export function createIdentityServer(ctx: LoginscopeContext): IdentityServer {
  const store = new IdentityStore(openDatabase(path.join(ctx.config.dataDir, 'identity.db'), IDENTITY_MIGRATIONS));
  applyIdentitySeed(store, readIdentitySeed(), ctx.clock.now());
  store.setSettingIfAbsent('apiKey', randomBytes(32).toString('base64url'));
  store.setSettingIfAbsent('formKey', randomBytes(32).toString('base64url'));
  // Identity-only mode registers the redirect URIs of apps that run on another port (--app-port).
  const directory = loadDirectory(store, ctx.config.appPort ?? ctx.port);
  const keys = loadOrCreateSigningKeys(store, ctx.clock.now());
  // A failure surfaces in the requests that need the keys; this only keeps it from being "unhandled".
  keys.catch(() => undefined);

  const idp: Idp = {
    ctx,
    store,
    directory,
    publicUrl: ctx.urls.login,
    issuer: ctx.urls.login,
    apiKey: store.setting('apiKey')!,
    formKey: store.setting('formKey')!,
    keys,
    policy: initialRefreshTokenPolicy(ctx.config),
    scopeHandling: scopeHandlingPolicy(ctx.config),
    now: () => ctx.clock.now(),
    emit: (type, data) => void ctx.bus.emit(type, 'idp', data),
  };

  const app = createOriginApp('login', ctx);
  app.use(joinCallersExchange(ctx.bus));
  app.use(wellKnown(idp));
  app.use('/api', noStore, jsonBody('64kb'), express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  app.use(loginApi(idp), logoutApi(idp), jwtApi(idp), userApi(idp), applicationApi(idp));
  app.use('/api', (_req, res) => sendEmpty(res, 404));
  app.use('/api', fusionAuthErrorHandler);
  app.use('/oauth2', noStore);
  app.use(authorizeEndpoint(idp), tokenEndpoint(idp), introspectionEndpoint(idp), sessionEndpoints(idp), forgetBrowserRoute(idp));
  app.use(homePage(idp), ctx.pages.assets);
  app.use((_req, res) => sendError(res, 404, 'not_found', 'The identity server has no such page. Logins start at /oauth2/authorize.'));
  app.use(jsonErrorHandler);

  const info: IdentityInfo = {
    publicUrl: idp.publicUrl,
    apiKey: idp.apiKey,
    tenantId: directory.tenant.id,
    issuer: idp.issuer,
    applications: Object.fromEntries(APPS.map((a) => [a, { id: directory.byApp(a).id, clientSecret: directory.byApp(a).clientSecret }])) as IdentityInfo['applications'],
  };
  return { app, info, admin: createIdentityAdmin(idp), close: () => store.db.close() };
}
