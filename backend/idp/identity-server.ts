import express, { type Express } from 'express';
import type { LoginscopeContext } from '../context.js';
import { jsonErrorHandler } from '../errors.js';
import { health } from '../health.js';

/** The embedded FusionAuth-compatible identity server at `login.localhost`, with its own database. */
export interface IdentityServer {
  app: Express;
  close(): void;
}

export function createIdentityServer(ctx: LoginscopeContext): IdentityServer {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', health('login'));
  app.use(jsonErrorHandler);
  void ctx;
  return { app, close: () => {} };
}
