import express, { type Express } from 'express';
import type { LoginscopeContext } from '../context.js';
import { jsonErrorHandler, sendError } from '../errors.js';
import { createOriginApp } from '../origin-app.js';
import { noStore } from '../security-headers.js';
import { requireInspectorToken } from './token.js';
import { jsonBody } from '../json-body.js';

/** `inspector.localhost`: the sidebar page, and its token-protected API under `/api`. */
export function createInspectorOrigin(ctx: LoginscopeContext, api: express.Router): Express {
  const app = createOriginApp('inspector', ctx);
  app.use('/api', noStore, requireInspectorToken(ctx.inspectorToken), jsonBody('64kb'), api);
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'No such inspector API.'));
  app.use(ctx.pages.assets);
  app.get('/chrome', ctx.pages.page('chrome'));
  app.get('/{*path}', ctx.pages.page('inspector'));
  app.use(jsonErrorHandler);
  return app;
}
