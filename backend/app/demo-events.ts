import express, { type Response } from 'express';
import type { DemoReset } from '../demo.js';
import { sendError } from '../errors.js';
import { openEventStream } from '../event-stream.js';
import { noStore } from '../security-headers.js';
import { parseCookieHeader } from '../trace/cookies.js';
import type { AppServices } from './app-services.js';

/** What an app origin needs of the demo to tell its pages about Resets and workflow switches. */
export interface DemoResets {
  readonly generation: number;
  onReset(listener: (reset: DemoReset) => void): () => void;
}

/** What a page is told: what happened, and where to send the browser so the identity server forgets it too. */
export interface ResetNotice extends DemoReset {
  /** The embedded identity server's page that expires its cookies and sends the browser back; null with a real FusionAuth. */
  forgetUrl: string | null;
}

/** The path of the page's event stream; left out of the trace (see recorder.ts), it is Loginscope's, not the workflow's. */
export const DEMO_EVENTS_PATH = '/loginscope/events';

/**
 * A Reset means a clean start for the browser too. Each app origin streams Resets to its open pages
 * (`GET /loginscope/events`, SSE), and `POST /api/loginscope/forget` expires, by Set-Cookie, every cookie the
 * browser sent to this origin: only the origin itself can delete its HttpOnly cookies.
 */
export function demoEventRoutes(services: AppServices, resets: DemoResets): express.Router {
  const { ctx, app } = services;
  const router = express.Router();
  const forgetUrl = ctx.config.identity.kind === 'embedded' ? `${ctx.urls.login}/loginscope/forget?return=${encodeURIComponent(`${ctx.urls[app]}/`)}` : null;

  router.get(DEMO_EVENTS_PATH, (req, res: Response) => {
    let stop = () => {};
    const send = openEventStream(req, res, () => stop());
    if (!send) return;
    // The generation on (re)connect lets a page that slept through a Reset notice it.
    send('hello', { generation: resets.generation, forgetUrl });
    stop = resets.onReset((reset) => send('reset', { ...reset, forgetUrl } satisfies ResetNotice));
  });

  router.post('/api/loginscope/forget', noStore, (req, res) => {
    // Only the origin's own pages may wipe its cookies (another site's form post must not log anyone out).
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin') return sendError(res, 403, 'cross_site', 'Only this origin’s own pages may clear its cookies.');
    for (const name of Object.keys(parseCookieHeader(req.headers.cookie))) res.clearCookie(name, { ...services.cookieOptions, path: '/' });
    res.status(204).end();
  });
  return router;
}
