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

/**
 * The page as the server sends it, readable and usable without JavaScript (scripted HTTP clients, screen readers
 * before the script runs, browsers with scripts off): the login form itself, posting the same fields as the page's
 * script renders (FusionAuth's hosted pages are server-rendered forms too). renderer/login mounts over it and keeps
 * what was typed (renderer/login/main.ts).
 */
function serverRendered(state: LoginPageState): string {
  if (state.kind === 'error') return `<main><h1>${escapeHtml(state.title)}</h1><p role="alert">${escapeHtml(state.message)}</p></main>`;
  if (state.kind === 'logged-out') return `<main><h1>Logged out</h1><p>${escapeHtml(state.message)}</p></main>`;
  const attr = (name: string, value: string) => ` ${name}="${escapeHtml(value)}"`;
  const hidden = (name: string, value: string) => `<input type="hidden"${attr('name', name)}${attr('value', value)}>`;
  const described = state.error ? attr('aria-describedby', 'login-error') : '';
  return [
    '<main>',
    '<h1>Log in</h1>',
    `<p>to continue to <strong>${escapeHtml(state.applicationName)}</strong></p>`,
    state.error ? `<p id="login-error" role="alert">${escapeHtml(state.error)}</p>` : '',
    `<form${attr('action', state.action)} method="post" novalidate>`,
    ...Object.entries(state.hidden).flatMap(([name, value]) => (value === undefined ? [] : [hidden(name, value)])),
    hidden('csrfToken', state.csrfToken),
    '<p><label for="loginId">Email</label><br>',
    `<input id="loginId" name="loginId" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required${attr('value', state.loginId)}${described}></p>`,
    '<p><label for="password">Password</label><br>',
    `<input id="password" name="password" type="password" autocomplete="current-password" required${state.error ? ' aria-invalid="true"' : ''}${described}></p>`,
    `<p><label><input type="checkbox" name="rememberDevice" value="true"${state.rememberDevice ? ' checked' : ''}> Keep me signed in</label></p>`,
    '<button type="submit">Log in</button>',
    '</form>',
    '</main>',
  ].join('\n');
}

export function injectState(html: string, state: LoginPageState): string {
  const blob = `<script type="application/json" id="login-state">${scriptJson(state)}</script>`;
  // Replacer functions: a `$&` or `$'` in a typed value must stay text, not become a replacement pattern.
  return html.replace('</head>', () => `${blob}</head>`).replace('<div id="app"></div>', () => `<div id="app">${serverRendered(state)}</div>`);
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
