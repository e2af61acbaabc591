import type { Page } from '@playwright/test';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';
import { arrow, attackItem, attackOutcome, counts, expectSeen, expectUnseen, isExchange, openApp, openInspector, range, state, step, switchFromInspector, trace } from './support/inspector-page.js';

/**
 * Issue 12, item 7: highlights and labels that must not mislead, as a presenter meets them. Under native-refresh a
 * logout and a cart click after it (in a second tab) light nothing of the seed's; under implicit-session the added
 * attacks light their own arrows A1–A8, arming is not an outcome, the JWKS fetch is the backend's, and the panels'
 * texts and switches follow the workflow shown.
 *
 * Its own Loginscope: the store backend fetches the identity server's keys on its first start-session call only
 * (then caches them), and this test must see that first call.
 */
const ls = useLoginscope();

test.describe.configure({ timeout: 150_000 });

const fusionAuthButton = (page: Page) => page.getByRole('button', { name: 'Log in with FusionAuth' });
const switchesGroup = (inspector: Page) => inspector.getByTestId('attack-panel').getByRole('group', { name: /Demo switches/ });
const identityPanel = (inspector: Page) => inspector.getByTestId('identity-panel');

test('item 7: logout, a cart click after it, the added attacks, the JWKS fetch and the panels’ texts each show what really happened', async ({ context }) => {
  expect((await ls.inspector.workflow('native-refresh')).status).toBe(200);
  expect((await ls.inspector.post('/reset')).status).toBe(200);
  const { inspector, problems } = await openInspector(ls, context);

  // (f, e) native-refresh has no start-session API, so no switches for it; its identity text speaks of the native login.
  await expect(inspector.getByTestId('attack-panel')).toContainText('Stolen refresh token');
  await expect(switchesGroup(inspector)).toHaveCount(0);
  expect((await state(ls)).switchesShown).toEqual([]);
  await expect(identityPanel(inspector)).toContainText('The native login never creates one');

  // Two store tabs, both logged in (one login, the same cookies).
  const tabA = await openApp(ls, context, 'store');
  await apps.logInWithForm(tabA.page);
  await expect(apps.cart(tabA.page)).toBeVisible();
  const tabB = await openApp(ls, context, 'store');
  await expect(apps.cart(tabB.page)).toBeVisible();
  const before = await counts(ls);

  // (a) Log out in tab A: the page says it shows the logged-out view; "show the login form again" (23, 28) stays dim.
  await tabA.page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(apps.loginForm(tabA.page)).toBeVisible();
  const rendered = async (view: string) => (await trace(ls)).filter((e) => e.type === 'browser.rendered' && e.system === 'store' && e.data.view === view);
  await expect.poll(async () => (await rendered('logged-out')).length, { message: 'the page reported its logged-out view' }).toBe(1);
  expect((await rendered('logged-out'))[0]!.steps).toEqual([]);
  const afterLogout = await counts(ls);
  expect(afterLogout['5'], 'step 5 not lit again').toBe(before['5']);
  expect(afterLogout['23']).toBe(0);
  expect(afterLogout['28']).toBe(0);
  await expectUnseen(inspector, [23, 28]);
  expect(await context.cookies(ls.app.urls.store)).toEqual([]);

  // (b) Tab B still shows the cart; the presenter clicks Cart there. The browser has no cookies left to send.
  const refused = tabB.page.waitForResponse((r) => r.url() === `${ls.app.urls.store}/api/cart` && r.status() === 401);
  await apps.cartButton(tabB.page).click();
  await refused;
  await expect(tabB.page.getByText('Your session ended.')).toBeVisible();
  const carts = (await trace(ls)).filter(isExchange).filter((e) => e.actor === 'browser' && e.path === '/api/cart' && e.status === 401);
  expect(carts).toHaveLength(1);
  expect(carts[0]!.requestCookies).toEqual({});
  expect(carts[0]!.steps, 'a cookieless 401 is not "[expired session, expired refresh token]"').toEqual([]);
  await expectUnseen(inspector, [19, 20, 21, 22]);
  const s1 = await state(ls);
  expect([19, 22].map((n) => step(s1, n).count)).toEqual([0, 0]);

  // Now implicit-session, picked in the inspector with both tabs open (they reload into it).
  await switchFromInspector(ls, inspector, 'implicit-session');
  await expect(fusionAuthButton(tabA.page)).toBeVisible();
  await expect(fusionAuthButton(tabB.page)).toBeVisible();
  await tabB.page.close();

  // (f) The start-session API's switches show here, and only here.
  await expect(switchesGroup(inspector)).toBeVisible();
  await expect(switchesGroup(inspector)).toContainText('Injected script on the app pages');
  await expect(switchesGroup(inspector)).toContainText('Audience check on the start-session API');
  expect((await state(ls)).switchesShown.slice().sort()).toEqual(['audienceCheck', 'injectedScript']);
  // (e) The identity panel's texts follow the workflow: nothing about a native login.
  await expect(identityPanel(inspector)).toContainText('SSO sessions');
  await expect(identityPanel(inspector)).not.toContainText('native login');
  await expect(identityPanel(inspector)).not.toContainText(/native/i);

  // (c) "Script reads the token from the URL", first run: it arms the script. Arming is not an outcome.
  const theft = attackItem(inspector, 'fragment-theft');
  await theft.getByRole('button', { name: 'Script reads the token from the URL', exact: true }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'armed');
  await expect(attackOutcome(inspector)).toContainText('Armed');
  await expect(attackOutcome(inspector)).not.toContainText('attack failed');
  await expect(attackOutcome(inspector)).not.toContainText('HTTP');
  await expect(attackOutcome(inspector)).not.toContainText('refused');
  await expect(inspector.getByLabel('Injected script on the app pages')).toBeChecked();
  await expect(theft).toHaveAttribute('data-ready', 'false');
  await expect(theft).toContainText('the user must log in with FusionAuth on the store');

  // The user logs in with FusionAuth at the store; the injected script leaks the fragment (A1).
  await fusionAuthButton(tabA.page).click();
  await apps.logInWithForm(tabA.page);
  await expect(apps.cart(tabA.page)).toBeVisible();
  await expectSeen(inspector, range(1, 16));
  await expectSeen(inspector, ['A1']);
  await expect(theft).toHaveAttribute('data-ready', 'true');

  // (d) The JWKS fetch during the start-session API is the store backend's call, inside that exchange.
  const events = await trace(ls);
  const startSession = events.filter(isExchange).find((e) => e.actor === 'browser' && e.origin === 'store' && e.method === 'POST' && e.path === '/api/session');
  expect(startSession?.status).toBe(200);
  const jwks = events.filter(isExchange).filter((e) => e.path === '/.well-known/jwks.json');
  expect(jwks.length, 'the keys were fetched').toBeGreaterThanOrEqual(1);
  expect(jwks.map((e) => [e.actor, e.origin, e.correlationId])).toEqual(jwks.map(() => ['store-backend', 'login', startSession!.id]));
  expect(startSession!.caused.some((c) => c.startsWith('exchange:login GET /.well-known/jwks.json'))).toBe(true);

  // Second run: the leaked token opens a session for the attacker, who reads the cart (A2–A6).
  await theft.getByRole('button', { name: 'Script reads the token from the URL', exact: true }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'worked');
  await expect(attackOutcome(inspector)).toContainText('attack worked');
  await expectSeen(inspector, ['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);

  // The forum, through SSO; then the forum's token injected into the store, refused by the audience check (A7, A8).
  const forum = await openApp(ls, context, 'forum');
  await fusionAuthButton(forum.page).click();
  await expect(apps.posts(forum.page)).toBeVisible();
  await expectSeen(inspector, range(29, 42));
  const injection = attackItem(inspector, 'token-injection');
  await expect(injection).toHaveAttribute('data-ready', 'true');
  await injection.getByRole('button', { name: 'Forum token injected into the store', exact: true }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'refused');
  await expect(attackOutcome(inspector)).toContainText('audience');
  await expectSeen(inspector, ['A7', 'A8']);
  await expect(arrow(inspector, 'A8')).toContainText('401 refused: the JWT is for the forum (aud)');

  // Every added arrow lit, and none of the seed's "[stolen session]" arrows (43–45): that attack never ran.
  await expectUnseen(inspector, [43, 44, 45]);
  const s2 = await state(ls);
  const added = s2.steps.filter((x) => x.tag.startsWith('A'));
  expect(added.map((x) => [x.tag, x.seen])).toEqual(range(1, 8).map((i) => [`A${i}`, true]));
  expect(added.every((x) => x.n > 45), 'the added arrows never reuse the seed’s numbers').toBe(true);
  expect([43, 44, 45].map((n) => step(s2, n).count)).toEqual([0, 0, 0]);
  const attackerHits = (await trace(ls)).filter((e) => isExchange(e) && e.actor === 'attacker').flatMap((e) => e.steps);
  expect(attackerHits.filter((n) => n <= 45), 'no attacker exchange lit a seed step').toEqual([]);
  expect([...problems, ...tabA.problems, ...tabB.problems, ...forum.problems]).toEqual([]);
});
