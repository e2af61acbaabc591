import type { Express } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAppBackend } from './app/app-backend.js';
import { AppDatabase } from './app/app-db.js';
import { createAppServices, type AppServices } from './app/app-services.js';
import { identitySettings } from './app/identity-settings.js';
import { createAttackerOrigin, type Loot } from './attacks/attacker-origin.js';
import { loadClockOffset, persistClockOffset } from './clock-file.js';
import { closerFor } from './closer.js';
import { preparePrivateDataDir } from './data-dir.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { createClock, type Clock } from './clock.js';
import type { LoginscopeConfig } from './config.js';
import type { LoginscopeContext } from './context.js';
import { safeSwitches } from './demo-switches.js';
import { Demo } from './demo.js';
import { hostRouter } from './host-router.js';
import { checkAtStart, type ConnectionCheckResult } from './fusionauth/start-check.js';
import { APPS, HOST_ROLES, LOOPBACK, originUrls, type HostRole, type OriginUrls } from './hosts.js';
import { createIdentityServer } from './idp/identity-server.js';
import { createInspectorApi } from './inspector/api.js';
import { createInspectorOrigin } from './inspector/inspector-origin.js';
import { newInspectorToken } from './inspector/token.js';
import { createPageServer } from './pages.js';
import { SqliteSessionStore } from './sessions/sqlite-session-store.js';
import { TraceBus } from './trace/bus.js';

export interface StartOptions {
  /** Tests pass their own clock; otherwise a fresh one at wall time. Either way it starts at the offset the data dir kept. */
  clock?: Clock;
}

export interface Loginscope {
  urls: OriginUrls;
  port: number;
  /** The line the launcher prints: the inspector page with this launch's token. */
  inspectorUrl: string;
  inspectorToken: string;
  clock: Clock;
  bus: TraceBus;
  demo: Demo;
  /** With a real FusionAuth: the connection check made at start (problems that did not stop it). */
  identityCheck?: ConnectionCheckResult;
  /** Lines worth one print at start (a data dir made private). */
  notices: string[];
  close(): Promise<void>;
}

/** The port is taken: the one problem start-up reports as its own kind (exit code 2). */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on ${LOOPBACK} is already in use. Stop what holds it, or start with --port 0 to pick a free one.`);
    this.name = 'PortInUseError';
  }
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port) : err);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Asks every served origin for /healthz over real loopback HTTP; resolves when all answer 200. */
export async function waitForOrigins(port: number, roles: readonly HostRole[]): Promise<void> {
  await Promise.all(
    roles.map(
      (role) =>
        new Promise<void>((resolve, reject) => {
          const req = http.get({ host: LOOPBACK, port, path: '/healthz', headers: { host: `${role}.localhost:${port}` }, agent: false }, (res) => {
            res.resume();
            if (res.statusCode === 200) resolve();
            else reject(new Error(`${role}.localhost answered ${res.statusCode} to its health check`));
          });
          req.on('error', reject);
        }),
    ),
  );
}

/** The given clock (or a new one at wall time), moved to the offset the data dir kept from earlier runs. */
export function openClock(dataDir: string, given: Clock | undefined): Clock {
  const clock = given ?? createClock();
  const saved = loadClockOffset(dataDir);
  if (saved > clock.offset()) clock.advance(saved - clock.offset());
  return clock;
}

/** One HTTP server on 127.0.0.1 that routes by Host to every origin; see design.md "The picture". */
export async function startLoginscope(config: LoginscopeConfig, options: StartOptions = {}): Promise<Loginscope> {
  const dataDirNotice = preparePrivateDataDir(config.dataDir);
  // One Loginscope per data dir: a second one says who holds it (exit code 2). Released on close, or here on failure.
  const lock = lockDataDir(config.dataDir);
  try {
    return await startLocked(config, options, lock, dataDirNotice);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(config: LoginscopeConfig, options: StartOptions, lock: DataDirLock, dataDirNotice: string | undefined): Promise<Loginscope> {
  const clock = openClock(config.dataDir, options.clock);
  const bus = new TraceBus(clock);
  // Requests are routed once every origin exists (hostRouter below); nothing asks before the ready line.
  const server = http.createServer();
  server.keepAliveTimeout = 5000;
  const port = await listen(server, config.port);

  // Whatever is opened is closed again on close(), and when start-up fails part-way.
  const closer = closerFor(server);
  const close = closer.close;
  closer.add(() => lock.release());
  closer.add(persistClockOffset(clock, config.dataDir));
  try {
    const served: HostRole[] = HOST_ROLES.filter((role) => role !== 'login' || config.identity.kind === 'embedded');
    const urls = originUrls(port);
    const pages = await createPageServer({ dev: config.dev, server });
    closer.add(() => pages.close());
    const ctx: LoginscopeContext = { config, clock, bus, port, urls, pages, inspectorToken: newInspectorToken() };
    const loot: Loot[] = [];
    const switches = safeSwitches();
    const identity = config.identity.kind === 'embedded' ? createIdentityServer(ctx) : undefined;
    if (identity) closer.add(() => identity.close());
    const settings = identitySettings(ctx, identity?.info);
    const appDb = new AppDatabase(config.dataDir, clock);
    closer.add(() => appDb.close());
    const apps = Object.fromEntries(
      APPS.map((app) => {
        const sessions = new SqliteSessionStore({
          db: appDb.db,
          app,
          clock,
          bus,
          idleSeconds: config.ttl.sessionIdleSeconds,
          absoluteSeconds: config.ttl.sessionAbsoluteSeconds,
        });
        return [app, createAppServices({ app, ctx, db: appDb, sessions, settings, switches })];
      }),
    ) as Record<(typeof APPS)[number], AppServices>;
    const demo = new Demo(ctx, apps, identity, loot, switches);
    closer.add(() => demo.stop());

    const origins: Partial<Record<HostRole, Express>> = {
      store: createAppBackend(apps.store, () => demo.workflow, demo),
      forum: createAppBackend(apps.forum, () => demo.workflow, demo),
      inspector: createInspectorOrigin(ctx, createInspectorApi(ctx, demo, apps, identity)),
      attacker: createAttackerOrigin(ctx, loot),
      ...(identity && { login: identity.app }),
    };

    server.on('request', hostRouter(port, origins));

    await waitForOrigins(port, served);
    const identityCheck = await checkAtStart(ctx, settings);

    return {
      urls,
      port,
      inspectorUrl: `${urls.inspector}/?token=${ctx.inspectorToken}`,
      inspectorToken: ctx.inspectorToken,
      clock,
      bus,
      demo,
      ...(identityCheck && { identityCheck }),
      notices: dataDirNotice ? [dataDirNotice] : [],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
