import type { NextFunction, Request, Response } from 'express';
import type { Idp } from './idp.js';
import type { OAuthParams } from './oauth-request.js';

/**
 * What the hosted login page (renderer/login) shows; it reads this from `<script type="application/json" id="login-state">`
 * (the CSP allows no inline scripts; a JSON blob is data, not script). Keep in step with renderer/login/login-state.ts.
 */
export type LoginPageState =
  | {
      kind: 'login';
      applicationName: string;
      /** The form posts here, on this origin. */
      action: string;
      hidden: OAuthParams;
      loginId: string;
      rememberDevice: boolean;
      /** Posted back as the hidden field `csrfToken`; bound to the `fusionauth.csrf` cookie. */
      csrfToken: string;
      error?: string;
    }
  | { kind: 'error'; title: string; message: string; error: string; errorReason: string }
  | { kind: 'logged-out'; message: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON inside a script element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Readable without JavaScript too (curl, screen readers before hydration); Vue replaces it on mount. */
function fallback(state: LoginPageState): string {
  if (state.kind === 'error') return `<main><h1>${escapeHtml(state.title)}</h1><p>${escapeHtml(state.message)}</p></main>`;
  if (state.kind === 'logged-out') return `<main><h1>Logged out</h1><p>${escapeHtml(state.message)}</p></main>`;
  return `<main><h1>Log in to ${escapeHtml(state.applicationName)}</h1><p>Loading the login form…</p></main>`;
}

export function injectState(html: string, state: LoginPageState): string {
  const blob = `<script type="application/json" id="login-state">${scriptJson(state)}</script>`;
  return html.replace('</head>', `${blob}</head>`).replace('<div id="app"></div>', `<div id="app">${fallback(state)}</div>`);
}

/** Serves the built login page with this request's state in it. */
export function renderHostedPage(idp: Idp, req: Request, res: Response, next: NextFunction, state: LoginPageState, status: number): void {
  res.status(status);
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    res.send = send;
    // A page that is not built answers 503 with a plain message: pass that through untouched.
    if (typeof body !== 'string' || res.statusCode >= 500) return send(body);
    res.setHeader('Cache-Control', 'no-store');
    return send(injectState(body, state));
  }) as Response['send'];
  void idp.ctx.pages.page('login')(req, res, next);
}
