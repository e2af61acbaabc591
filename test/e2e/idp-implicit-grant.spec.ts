import { expect, test, type Page } from '@playwright/test';
import { createJwtVerifier } from '../../backend/fusionauth/jwt-verifier.js';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

/* The OAuth implicit grant in Chromium against the embedded identity server's hosted login page. */

let app: TestLoginscope;
let ids: { store: string; forum: string };

test.beforeAll(async () => {
  app = await startTestLoginscope();
  const identity = (
    await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })
  ).json<{ applications: { store: { id: string }; forum: { id: string } } }>();
  ids = { store: identity.applications.store.id, forum: identity.applications.forum.id };
});
test.afterAll(() => app.stop());

const authorize = (app_: 'store' | 'forum', redirectUri: string) =>
  `${app.urls.login}/oauth2/authorize?${new URLSearchParams({ client_id: ids[app_], redirect_uri: redirectUri, response_type: 'token', state: `${app_}-state` })}`;

/** The 302 from the identity server back to the app: its Location holds the fragment (the SPA may scrub it later). */
function redirectFromIdp(page: Page) {
  return page.waitForResponse((r) => r.url().startsWith(`${app.urls.login}/oauth2/authorize`) && r.status() === 302);
}

test('authorize → hosted form → fragment with a verifiable JWT; the next authorize reuses the SSO session', async ({ page }) => {
  const storeRedirect = `${app.urls.store}/oauth-redirect`;
  await page.goto(authorize('store', storeRedirect));
  await expect(page.getByText("Loginscope's FusionAuth-compatible identity server")).toBeVisible();
  await expect(page.getByLabel('Keep me signed in')).toBeChecked();

  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('Invalid login credentials');
  await expect(page.getByLabel('Email')).toHaveValue('demo@example.com');

  await page.getByLabel('Password').fill('demo-password');
  const redirected = redirectFromIdp(page);
  await page.getByRole('button', { name: 'Log in' }).click();
  const location = (await redirected).headers().location!;
  expect(location.startsWith(`${storeRedirect}#`)).toBe(true);
  const fragment = new URLSearchParams(location.split('#')[1]);
  expect(fragment.get('state')).toBe('store-state');
  expect(fragment.get('token_type')).toBe('Bearer');
  await page.waitForURL(`${storeRedirect}**`);
  expect(page.url().startsWith(storeRedirect)).toBe(true);

  const verifier = createJwtVerifier({ jwksUrl: `${app.urls.login}/.well-known/jwks.json`, issuer: app.urls.login, clock: app.clock });
  const claims = await verifier.verify(fragment.get('access_token')!, { audience: ids.store });
  expect(claims.sub).toBe('00000000-0000-0000-0000-111111111111');

  const cookies = await page.context().cookies(app.urls.login);
  const sso = cookies.find((c) => c.name === 'fusionauth.sso');
  expect(sso).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', domain: 'login.localhost' });

  // Second application: no form, straight back with a token for the forum.
  const forumRedirect = `${app.urls.forum}/oauth-redirect`;
  const formPosts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(`${app.urls.login}/oauth2/authorize`)) formPosts.push(r.url());
  });
  const again = redirectFromIdp(page);
  await page.goto(authorize('forum', forumRedirect));
  const forumLocation = (await again).headers().location!;
  const forumToken = new URLSearchParams(forumLocation.split('#')[1]).get('access_token')!;
  expect((await verifier.verify(forumToken, { audience: ids.forum })).sub).toBe(claims.sub);
  await page.waitForURL(`${forumRedirect}**`);
  expect(formPosts).toEqual([]);
});

test('a redirect URI that is not registered shows the error page and stays on the identity server', async ({ page }) => {
  const response = await page.goto(authorize('store', `${app.urls.attacker}/collect`));
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'This login request cannot continue' })).toBeVisible();
  await expect(page.getByText('invalid_redirect_uri')).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(app.urls.login).host);
  await expect(page.getByLabel('Password')).toHaveCount(0);
});
