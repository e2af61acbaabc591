import type { Page } from '@playwright/test';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';
import { cookieRow, expectUnseen, isExchange, openApp, openInspector, panelJar, realJar, resetFromInspector, state, switchFromInspector, trace } from './support/inspector-page.js';

/**
 * Issue 12, item 3, as a presenter does it: Reset and switch workflows with app tabs still open (and one closed).
 * Reset means a clean start for the browser too: the open tabs hear it over their origin's event stream, have their
 * backend expire their cookies, go through the identity server's forget page (the SSO cookie) and reload into the
 * workflow shown. What a closed tab's origin kept is shown as still there, never hidden.
 */
const ls = useLoginscope();

test.describe.configure({ timeout: 150_000 });

const NO_SUCH_API = 'No such API on this application backend';
const fusionAuthButton = (page: Page) => page.getByRole('button', { name: 'Log in with FusionAuth' });

async function nativeLogIn(page: Page, what: 'cart' | 'posts') {
  await expect(apps.loginForm(page)).toBeVisible();
  await apps.logInWithForm(page);
  await expect(what === 'cart' ? apps.cart(page) : apps.posts(page)).toBeVisible();
}

async function expectNoActiveSessions() {
  const s = await state(ls);
  expect(s.sessions.store.filter((x) => x.status === 'active'), 'store sessions').toEqual([]);
  expect(s.sessions.forum.filter((x) => x.status === 'active'), 'forum sessions').toEqual([]);
  expect(s.idp.refreshTokens, 'refresh tokens').toEqual([]);
  expect(s.idp.ssoSessions, 'SSO sessions').toEqual([]);
}

test('item 3: Reset and workflow switches with tabs open leave the browser clean; a closed tab’s cookies are shown as still there', async ({ context }) => {
  expect((await ls.inspector.workflow('native-refresh')).status).toBe(200);
  expect((await ls.inspector.post('/reset')).status).toBe(200);
  const { inspector, problems } = await openInspector(ls, context);

  // Rehearsal under native-refresh: logged in at the store and the forum; then the forum tab is closed.
  const store = await openApp(ls, context, 'store');
  await nativeLogIn(store.page, 'cart');
  const forum = await openApp(ls, context, 'forum');
  await nativeLogIn(forum.page, 'posts');
  expect(await realJar(ls, context)).toEqual(['forum/forum_refresh_token', 'forum/forum_session', 'store/store_refresh_token', 'store/store_session']);
  await forum.page.close();

  // Reset, from the inspector's top bar (it asks, and says what it does).
  await resetFromInspector(inspector);
  // The open store tab wiped its origin and reloaded; the closed forum tab could not, so its cookies stayed.
  await expect.poll(() => realJar(ls, context), { message: 'the store tab cleared its cookies' }).toEqual(['forum/forum_refresh_token', 'forum/forum_session']);
  await expect(apps.loginForm(store.page)).toBeVisible();
  await expect(store.page.getByRole('button', { name: 'Log out', exact: true })).toHaveCount(0);
  expect(await store.page.evaluate(() => sessionStorage.length + localStorage.length), 'the page cleared its storage').toBe(0);
  for (const name of ['forum_session', 'forum_refresh_token']) {
    const row = cookieRow(inspector, 'forum', name);
    await expect(row).toHaveAttribute('data-before-reset', 'true');
    await expect(row).toContainText('still in the browser from before Reset');
  }
  await expect(cookieRow(inspector, 'store', 'store_session')).not.toHaveAttribute('data-before-reset', 'true');
  await expect.poll(() => panelJar(inspector), { message: 'the panel shows what the browser holds' }).toEqual(await realJar(ls, context));
  const kept = Object.fromEntries((await context.cookies(ls.app.urls.forum)).map((c) => [c.name, c.value]));
  expect(((await state(ls)).cookies.forum ?? []).map((c) => [c.name, c.value, c.beforeReset]).sort()).toEqual(Object.entries(kept).map(([n, v]) => [n, v, true]).sort());
  await expectNoActiveSessions();

  // Switch to implicit-session with the store tab open: it reloads into the new workflow's login.
  await switchFromInspector(ls, inspector, 'implicit-session');
  await expect(fusionAuthButton(store.page)).toBeVisible();
  await expect(store.page.getByLabel('Password')).toHaveCount(0);
  expect((await trace(ls)).filter(isExchange).some((e) => e.actor === 'browser' && e.origin === 'store' && e.path === '/'), 'the store tab reloaded').toBe(true);

  // Logged in at both apps: the store with the password at the identity server, the forum through SSO.
  await fusionAuthButton(store.page).click();
  await apps.logInWithForm(store.page);
  await expect(apps.cart(store.page)).toBeVisible();
  const forum2 = await openApp(ls, context, 'forum');
  await fusionAuthButton(forum2.page).click();
  await expect(apps.posts(forum2.page)).toBeVisible();
  const held = await realJar(ls, context);
  for (const c of ['store/store_session', 'forum/forum_session', 'login/fusionauth.sso']) expect(held).toContain(c);

  // Reset with both tabs open and logged in: nothing of ours is left in the browser, SSO cookie included.
  await resetFromInspector(inspector);
  await expect.poll(() => realJar(ls, context), { message: 'the browser holds none of our cookies', timeout: 15_000 }).toEqual([]);
  const real = await context.cookies();
  for (const name of ['store_session', 'store_refresh_token', 'forum_session', 'forum_refresh_token', 'fusionauth.sso']) expect(real.map((c) => c.name)).not.toContain(name);
  await expect(fusionAuthButton(store.page)).toBeVisible();
  await expect(fusionAuthButton(forum2.page)).toBeVisible();
  await expect.poll(() => panelJar(inspector), { message: 'the panel agrees: nothing left' }).toEqual([]);
  await expect(inspector.getByTestId('cookie-panel').locator('[data-before-reset="true"]')).toHaveCount(0);
  await expectNoActiveSessions();
  // Both tabs went through the identity server's forget page (Loginscope's plumbing, not a workflow step).
  const forgets = (await ls.inspector.get('/trace')).json<{ events: Array<{ type: string; origin?: string; path?: string; status?: number; plumbing?: boolean }> }>().events.filter((e) => e.origin === 'login' && e.path === '/loginscope/forget');
  expect(forgets.map((e) => [e.status, e.plumbing])).toEqual([
    [302, true],
    [302, true],
  ]);

  // Switch back to native-refresh with both (implicit) tabs open: they reload into the native form and it works.
  await switchFromInspector(ls, inspector, 'native-refresh');
  for (const page of [store.page, forum2.page]) {
    await expect(apps.loginForm(page)).toBeVisible();
    await expect(fusionAuthButton(page)).toHaveCount(0);
  }
  await nativeLogIn(store.page, 'cart');
  await apps.cartButton(store.page).click();
  await expect(apps.cart(store.page)).toBeVisible();
  // No stale tab lit the native "later still" steps, and none hit a route the workflow does not have.
  await expectUnseen(inspector, [19, 20, 21, 22]);
  const noSuchApi = (await trace(ls)).filter(isExchange).filter((e) => e.actor === 'browser' && e.status === 404 && (e.responseBody ?? '').includes(NO_SUCH_API));
  expect(noSuchApi.map((e) => `${e.method} ${e.origin} ${e.path}`)).toEqual([]);
  for (const page of [store.page, forum2.page]) await expect(page.getByText(NO_SUCH_API)).toHaveCount(0);
  await expect.poll(() => panelJar(inspector)).toEqual(await realJar(ls, context));
  expect([...problems, ...store.problems, ...forum.problems, ...forum2.problems]).toEqual([]);
});
