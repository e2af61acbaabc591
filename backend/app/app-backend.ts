import express, { type Express } from 'express';
import type { LoginscopeContext } from '../context.js';
import { jsonErrorHandler, sendError } from '../errors.js';
import type { AppId } from '../hosts.js';
import { health } from '../health.js';
import { securityHeaders } from '../security-headers.js';

/** One application backend (the store's or the forum's): its SPA and its `/api/*`. */
export function createAppBackend(app: AppId, ctx: LoginscopeContext): Express {
  const server = express();
  server.disable('x-powered-by');
  server.use(securityHeaders({ dev: ctx.config.dev }));
  server.get('/healthz', health(app));
  server.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'No such API on this application backend.'));
  server.use(ctx.pages.assets);
  server.get('/{*path}', ctx.pages.page(app));
  server.use(jsonErrorHandler);
  return server;
}
