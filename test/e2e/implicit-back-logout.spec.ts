import type { Page } from '@playwright/test';
import { isExchange, type ExchangeEvent } from '../../backend/trace/types.js';
import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

/**
 * Issue 12, items 6 and 8, as a person does them under implicit-session: Back after the login, and the two logouts.
 * The trace (every exchange the loopback server saw) is the count of what the browser really sent.
 */
const ls = useLoginscope();

test.beforeEach(async () => {
  // Picked in the inspector, as a person would; Reset makes each test a clean start on the servers' side.
  expect((await ls.inspector.workflow('implicit-session')).status).toBe(200);
  expect((await ls.inspector.post('/reset')).status).toBe(200);
});

/** The newest trace event id: later events belong to this test. */
function traceMark(): number {
  return ls.app.bus.list().at(-1)?.id ?? 0;
}

function exchangesSince(mark: number, match: Partial<Pick<ExchangeEvent, 'actor' | 'origin' | 'method' | 'path' | 'status'>>): ExchangeEvent[] {
  return ls.app.bus
    .list()
    .filter(isExchange)
    .filter((e) => e.id > mark && Object.entries(match).every(([key, value]) => e[key as keyof ExchangeEvent] === value));
}

async function logInWithFusionAuth(page: Page) {
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
}

/** What the page shows is the session the store really has: the user, Log out, the cart, and no scary state error. */
async function expectLoggedIn(page: Page) {
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeVisible();
  // The header names the user (from the JWT it is the email until the name claims are shown).
  await expect(page.getByRole('navigation', { name: 'Account' }).getByText(/^(Demo User|demo@example\.com)$/)).toBeVisible();
  await expect(apps.cart(page)).toBeVisible();
  await expect(page.getByText('state does not match')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toHaveCount(0);
}

/**
 * The store in a tab of its own: Playwright's tab starts with an about:blank entry, which a person's tab opened on
 * the store does not have (Back there would leave Loginscope, not show it).
 */
async function openStoreInFreshTab(page: Page) {
  await page.goto(`${ls.app.urls.store}/`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.resetNavigationHistory');
  await cdp.detach();
}

/** The tab's session history as Chromium keeps it (every entry, not only the one on screen). */
async function sessionHistory(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { currentIndex, entries } = await cdp.send('Page.getNavigationHistory');
    return { currentIndex, urls: entries.flatMap((e) => [e.url, e.userTypedURL]).filter(Boolean), length: entries.length };
  } finally {
    await cdp.detach();
  }
}

async function ssoSessions() {
  return (await ls.inspector.state()).idp.ssoSessions as Array<{ id: string; status: string; revokedReason?: string }>;
}

test('Back three times after the FusionAuth login: still logged in, the answer used once, no token left in history', async ({ page }) => {
  const problems = watchConsole(page);
  const mark = traceMark();
  await openStoreInFreshTab(page);
  await logInWithFusionAuth(page);
  const cartLoaded = page.waitForResponse((r) => r.url() === `${ls.app.urls.store}/api/cart` && r.status() === 200);
  await apps.cartButton(page).click();
  await cartLoaded;

  // History is [store, authorize, redirect URI]: Back 1 re-enters authorize, Back 2 the store as it was before the
  // login, Back 3 finds nothing further back and leaves the page where it is.
  for (let back = 1; back <= 3; back++) {
    const moved = await page.goBack();
    if (back === 3) expect(moved).toBeNull();
    await expectLoggedIn(page);
    expect(page.url(), `after Back ${back}`).not.toContain('access_token');
    expect(await page.evaluate(() => location.hash), `after Back ${back}`).toBe('');
    expect((await sessionHistory(page)).urls.filter((u) => u.includes('access_token')), `after Back ${back}`).toEqual([]);
  }
  // Back reached the identity server's authorize entry, which answered again with a fresh token: the case that
  // used to show the state error. The page must have refused to use that answer.
  expect(exchangesSince(mark, { actor: 'browser', origin: 'login', method: 'GET', path: '/oauth2/authorize', status: 302 }).length).toBeGreaterThanOrEqual(1);

  // Walk forward through every entry again: each one is logged in and none brings the token back.
  const before = await sessionHistory(page);
  expect(before.currentIndex).toBe(0);
  expect(before.length).toBe(3);
  for (let forward = 1; forward < before.length; forward++) {
    await page.goForward();
    await expectLoggedIn(page);
    expect(page.url(), `after Forward ${forward}`).not.toContain('access_token');
  }
  const after = await sessionHistory(page);
  expect(after.currentIndex).toBe(after.length - 1);
  expect(after.urls.filter((u) => u.includes('access_token'))).toEqual([]);

  expect(exchangesSince(mark, { actor: 'browser', origin: 'store', method: 'POST', path: '/api/session' })).toHaveLength(1);
  const store = (await ls.inspector.state()).sessions.store.filter((s) => s.status === 'active');
  expect(store).toHaveLength(1);
  expect(problems).toEqual([]);
});

test('Log out keeps the SSO session; Log out everywhere ends it at the identity server', async ({ page, context }) => {
  const problems = watchConsole(page);
  await page.goto(`${ls.app.urls.store}/`);
  await logInWithFusionAuth(page);
  await expect(page.getByText(/Log out.{1,3} ends only this app.s session/)).toBeVisible();

  // "Log out": this app's session only. The next login goes through the live SSO session, no password form.
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
  expect((await ssoSessions()).map((s) => s.status)).toEqual(['active']);
  const relogin = traceMark();
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expectLoggedIn(page);
  expect(exchangesSince(relogin, { origin: 'login', method: 'GET', path: '/oauth2/authorize', status: 200 })).toEqual([]);
  expect(exchangesSince(relogin, { origin: 'login', method: 'GET', path: '/oauth2/authorize', status: 302 })).toHaveLength(1);

  // "Log out everywhere": the app's session, then the identity server's end-session endpoint, then back to the app.
  const everywhere = traceMark();
  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
  expect(page.url()).toBe(`${ls.app.urls.store}/`);
  expect(exchangesSince(everywhere, { actor: 'browser', origin: 'store', method: 'POST', path: '/api/logout' })).toHaveLength(1);
  const [logout, ...more] = exchangesSince(everywhere, { actor: 'browser', origin: 'login', method: 'GET', path: '/oauth2/logout' });
  expect(more).toEqual([]);
  expect(logout).toMatchObject({ status: 302, location: `${ls.app.urls.store}/` });
  const identity = (await ls.inspector.get('/identity')).json<{ applications: { store: { id: string } } }>();
  expect(new URL(logout!.url, ls.app.urls.login).searchParams.get('client_id')).toBe(identity.applications.store.id);
  expect(logout!.requestCookies['fusionauth.sso']).toBeTruthy();
  expect(logout!.setCookies.find((c) => c.startsWith('fusionauth.sso='))).toMatch(/^fusionauth\.sso=;.*Expires=Thu, 01 Jan 1970/);

  const [sso] = await ssoSessions();
  expect(sso).toMatchObject({ status: 'revoked', revokedReason: 'logout' });
  expect((await ls.inspector.state()).sessions.store.filter((s) => s.status === 'active')).toEqual([]);
  expect((await context.cookies(ls.app.urls.login)).filter((c) => c.name === 'fusionauth.sso')).toEqual([]);

  // So the next login asks for the password again.
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(page).toHaveURL(/^http:\/\/login\.localhost:\d+\/oauth2\/authorize\?/);
  await expect(page.getByLabel('Password')).toBeVisible();
  expect(problems).toEqual([]);
});

test('under native-refresh only "Log out" shows: there is no SSO session to end', async ({ page }) => {
  expect((await ls.inspector.workflow('native-refresh')).status).toBe(200);
  await page.goto(`${ls.app.urls.store}/`);
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out everywhere' })).toHaveCount(0);
  await expect(page.getByText(/ends only this app.s session/)).toHaveCount(0);
});
