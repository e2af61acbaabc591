import express, { type Express } from 'express';
import type { LoginscopeContext } from './context.js';
import type { HostRole } from './hosts.js';
import { health } from './health.js';
import { securityHeaders } from './security-headers.js';
import { traceRecorder } from './trace/recorder.js';

/**
 * The Express app of one origin, with what every origin has: the trace recorder first (so everything the
 * handlers cause is tied to the exchange), our security headers, and the health check start-up waits for.
 */
export function createOriginApp(role: HostRole, ctx: Pick<LoginscopeContext, 'bus' | 'config'>, options: { extraImgSrc?: () => string[] } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(traceRecorder(ctx.bus, role));
  app.use(securityHeaders({ dev: ctx.config.dev, ...options }));
  app.get('/healthz', health(role));
  return app;
}
