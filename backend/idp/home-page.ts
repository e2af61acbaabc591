import express, { type Router } from 'express';
import type { Idp } from './idp.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /` on login.localhost: a newcomer who opens the identity server's origin gets a page saying what it is, with
 * links to its discovery document and the inspector, instead of a JSON 404. (A real FusionAuth answers its admin
 * UI's login here; the embedded server has none.) The inspector's token stays out of this origin's page.
 */
export function homePage(idp: Idp): Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    const { urls, config } = idp.ctx;
    const base = idp.publicUrl;
    const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
    const inspector = config.identityOnly
      ? `<li>Its settings for the other Loginscope (API key, application ids, a ready <code>config.identity</code>): the
        <code>settings:</code> URL this Loginscope printed at start (<code>--identity-only</code>), under
        ${escapeHtml(urls.inspector)}/api/identity with its token.</li>`
      : `<li>The inspector, which shows every step of the login workflows as they happen: ${link(`${urls.inspector}/`, urls.inspector)}
        (open the <code>Loginscope ready:</code> link printed at start: it carries the inspector's token).</li>
      <li>The applications that log in here: ${link(`${urls.store}/`, urls.store)} and ${link(`${urls.forum}/`, urls.forum)}.</li>`;
    res
      .status(200)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loginscope identity server</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1c2333; }
  code { background: #eef1f7; padding: 0 0.25rem; border-radius: 4px; }
  a { color: #1e40af; }
</style>
</head>
<body>
<main>
  <h1>Loginscope identity server</h1>
  <p>This is <strong>${escapeHtml(base)}</strong>, Loginscope's embedded FusionAuth-compatible identity server. There is
    nothing to use at its root: applications send you to its hosted login page (<code>/oauth2/authorize</code>), and
    their backends call its APIs (<code>/api/login</code>, <code>/api/jwt/refresh</code>, …).</p>
  <ul>
    <li>Its OpenID Connect discovery document: ${link(`${base}/.well-known/openid-configuration`, '/.well-known/openid-configuration')}
      (endpoints, grants and scopes), and its signing keys: ${link(`${base}/.well-known/jwks.json`, '/.well-known/jwks.json')}.</li>
    ${inspector}
  </ul>
  <p>The demo user is <code>demo@example.com</code> / <code>demo-password</code>.</p>
</main>
</body>
</html>
`);
  });
  return router;
}
