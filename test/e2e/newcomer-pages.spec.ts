import { expect, test } from '@playwright/test';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';
import { watchConsole } from './support/fixtures.js';

/* Issue 19, items 10 and 11 in Chromium: product pictures that need no emoji font, and a hosted login form without JavaScript. */

let app: TestLoginscope;
let storeId: string;

test.beforeAll(async () => {
  app = await startTestLoginscope();
  const identity = (await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<{
    applications: { store: { id: string } };
  }>();
  storeId = identity.applications.store.id;
});
test.afterAll(() => app.stop());

test('the store shows every product picture as an SVG from its own origin, allowed by the CSP', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto(`${app.urls.store}/`);
  const pictures = page.locator('img[data-product-image]');
  await expect(pictures).toHaveCount(6);
  for (const picture of await pictures.all()) {
    await expect(picture).toHaveAttribute('src', /^\/assets\/p-[a-z]+-[\w-]+\.svg$/);
    // Loaded and drawn: a CSP refusal or a 404 leaves naturalWidth at 0.
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  const res = await new Browser().fetch(`${app.urls.store}${await pictures.first().getAttribute('src')}`);
  expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
  expect(problems).toEqual([]);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the hosted login page is a form that logs in: Email, Password, Log in, then the 302 with the token', async ({ page }) => {
    const authorize = `${app.urls.login}/oauth2/authorize?${new URLSearchParams({ client_id: storeId, redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 'no-js' })}`;
    await page.goto(authorize);
    await page.getByLabel('Email').fill('demo@example.com');
    await page.getByLabel('Password').fill('demo-password');
    const redirect = page.waitForResponse((r) => r.url().startsWith(`${app.urls.login}/oauth2/authorize`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const answer = await redirect;
    expect(answer.status()).toBe(302);
    expect(answer.headers().location).toMatch(new RegExp(`^${app.urls.store.replace(/[.:/]/g, '\\$&')}/oauth-redirect#.*access_token=`));
  });
});
