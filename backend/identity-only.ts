import express from 'express';
import http from 'node:http';
import type { Clock } from './clock.js';
import { closerFor } from './closer.js';
import { persistClockOffset } from './clock-file.js';
import { preparePrivateDataDir } from './data-dir.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { LoginscopeConfig } from './config.js';
import type { LoginscopeContext } from './context.js';
import { jsonErrorHandler, sendError } from './errors.js';
import { hostRouter } from './host-router.js';
import { originUrls, type HostRole } from './hosts.js';
import { createIdentityServer, type IdentityServer } from './idp/identity-server.js';
import { advanceClock } from './inspector/clock-route.js';
import { newInspectorToken, requireInspectorToken } from './inspector/token.js';
import { createPageServer } from './pages.js';
import { createOriginApp } from './origin-app.js';
import { noStore } from './security-headers.js';
import { listen, openClock, waitForOrigins } from './start.js';
import { TraceBus } from './trace/bus.js';
import { jsonBody } from './json-body.js';

const SERVED: readonly HostRole[] = ['login', 'inspector'];

/**
 * `--identity-only`: a Loginscope process that serves only the embedded identity server at `login.localhost:<port>`,
 * with redirect URIs registered for apps on `--app-port`. Another Loginscope points `identity.kind = 'fusionauth'`
 * at it, as it would at a real FusionAuth. `inspector.localhost:<port>/api` (launch token) says what that other
 * Loginscope needs (`GET /api/identity`) and moves this process's clock, so tests can expire what lives here.
 */
export interface IdentityOnlyServer {
  port: number;
  appPort: number;
  publicUrl: string;
  apiUrl: string;
  inspectorToken: string;
  clock: Clock;
  identity: IdentityServer;
  close(): Promise<void>;
}

function identityApi(ctx: LoginscopeContext, identity: IdentityServer, appPort: number): express.Router {
  const api = express.Router();
  api.get('/identity', (_req, res) => {
    const { publicUrl, apiKey, tenantId, issuer, applications } = identity.info;
    const apps = { store: { id: applications.store.id }, forum: { id: applications.forum.id } };
    res.json({
      publicUrl,
      apiKey,
      tenantId,
      issuer,
      appPort,
      applications: apps,
      /** Paste into the other Loginscope's loginscope.config.json. */
      config: { identity: { kind: 'fusionauth', url: publicUrl, apiKey, applications: apps } },
    });
  });
  api.get('/state', (_req, res) => {
    res.json({
      mode: 'identity-only',
      now: ctx.clock.now(),
      appPort,
      idp: { refreshTokens: identity.admin.refreshTokens(), ssoSessions: identity.admin.ssoSessions(), users: identity.admin.users() },
    });
  });
  api.post('/clock/advance', advanceClock(ctx));
  api.post('/expire', (req, res) => {
    const { kind, id } = (req.body ?? {}) as { kind?: unknown; id?: unknown };
    if (kind !== 'refresh-token' && kind !== 'sso-session') return sendError(res, 400, 'invalid_kind', 'kind must be refresh-token or sso-session.');
    if (id !== undefined && typeof id !== 'string') return sendError(res, 400, 'invalid_id', 'id must be a string.');
    const expired = kind === 'refresh-token' ? identity.admin.expireRefreshTokens(id) : identity.admin.expireSsoSessions(id);
    res.json({ expired });
  });
  return api;
}

export async function startIdentityOnly(config: LoginscopeConfig, options: { clock?: Clock } = {}): Promise<IdentityOnlyServer> {
  preparePrivateDataDir(config.dataDir);
  // One Loginscope per data dir (see start.ts). Released on close, or here on failure.
  const lock = lockDataDir(config.dataDir);
  try {
    return await startLocked(config, options, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(config: LoginscopeConfig, options: { clock?: Clock }, lock: DataDirLock): Promise<IdentityOnlyServer> {
  const clock = openClock(config.dataDir, options.clock);
  const bus = new TraceBus(clock);
  const server = http.createServer();
  server.keepAliveTimeout = 5000;
  const port = await listen(server, config.port);
  const appPort = config.appPort ?? 9311;
  // Whatever is opened is closed again on close(), and when start-up fails part-way.
  const closer = closerFor(server);
  const close = closer.close;
  closer.add(() => lock.release());
  closer.add(persistClockOffset(clock, config.dataDir));
  try {
    const pages = await createPageServer({ dev: config.dev, server });
    closer.add(() => pages.close());
    const ctx: LoginscopeContext = { config, clock, bus, port, urls: originUrls(port), pages, inspectorToken: newInspectorToken() };
    const identity = createIdentityServer(ctx);
    closer.add(() => identity.close());

    const inspector = createOriginApp('inspector', ctx);
    inspector.use('/api', noStore, requireInspectorToken(ctx.inspectorToken), jsonBody('16kb'), identityApi(ctx, identity, appPort));
    inspector.use((_req, res) => sendError(res, 404, 'not_found', 'This Loginscope serves only the identity server (--identity-only); its API is under /api.'));
    inspector.use(jsonErrorHandler);

    server.on('request', hostRouter(port, { login: identity.app, inspector }));

    await waitForOrigins(port, SERVED);
    return { port, appPort, publicUrl: ctx.urls.login, apiUrl: `${ctx.urls.inspector}/api`, inspectorToken: ctx.inspectorToken, clock, identity, close };
  } catch (err) {
    await close();
    throw err;
  }
}
