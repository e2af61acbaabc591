import { seedSteps, seenOrder } from '../support/inspector.js';
import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

const IDLE = 600;
const REFRESH_MINUTES = 60;
const ls = useLoginscope({ ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: REFRESH_MINUTES, ssoSessionSeconds: 3600 } });

test('native-refresh by clicking: login, cart, refresh, expiry, forum, attacks', async ({ page, context }) => {
  const problems = watchConsole(page);
  const { app, inspector } = ls;

  await page.goto(`${app.urls.store}/`);
  await apps.logInWithForm(page, 'demo@example.com', 'wrong-password');
  await expect(page.getByText('That email and password do not match an account.')).toBeVisible();
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();

  const jar = async () => Object.fromEntries((await context.cookies(app.urls.store)).map((c) => [c.name, c]));
  const first = await jar();
  expect(first.store_session).toMatchObject({ httpOnly: true, sameSite: 'Lax', domain: 'store.localhost', path: '/' });
  expect(first.store_refresh_token).toMatchObject({ httpOnly: true, sameSite: 'Lax', domain: 'store.localhost' });
  expect(first.access_token).toBeUndefined();
  expect(await page.evaluate(() => document.cookie)).toBe('');

  // "A while later": the session expires; the next click renews it with the refresh token.
  await inspector.advance(IDLE + 1);
  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/cart') && r.status() === 200);
  await apps.cartButton(page).click();
  await renewed;
  await expect(apps.cart(page)).toBeVisible();
  expect((await jar()).store_session!.value).not.toBe(first.store_session!.value);

  // Later still: session and refresh token both dead, the form comes back.
  await inspector.advance(REFRESH_MINUTES * 60 + 1);
  await apps.cartButton(page).click();
  await expect(page.getByText('Your session ended.')).toBeVisible();
  await expect(apps.loginForm(page)).toBeVisible();
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();

  // The forum: no SSO in this workflow; its own form and its own cookies.
  await page.goto(`${app.urls.forum}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await apps.logInWithForm(page);
  await expect(apps.posts(page)).toBeVisible();
  expect((await context.cookies(app.urls.forum)).map((c) => c.name).sort()).toEqual(['forum_refresh_token', 'forum_session']);

  expect((await inspector.attack('stolen-refresh-token')).json<{ succeeded: boolean }>().succeeded).toBe(true);
  expect((await inspector.attack('stolen-session-cookie')).json<{ succeeded: boolean }>().succeeded).toBe(true);

  const state = await inspector.state();
  const { order, unseen } = seenOrder(state);
  expect(unseen).toEqual([]);
  expect(order).toEqual(seedSteps(state).map((s) => s.n));

  // What the trace rebuilt from Set-Cookie equals the browser's own jar (names, values, flags).
  for (const origin of ['store', 'forum'] as const) {
    const real = (await context.cookies(app.urls[origin])).map((c) => ({ name: c.name, value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite, hostOnly: !c.domain.startsWith('.') }));
    const observed = (state.cookies[origin] ?? []).map((c) => ({ name: c.name, value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite, hostOnly: c.hostOnly }));
    expect(observed.sort((a, b) => a.name.localeCompare(b.name))).toEqual(real.sort((a, b) => a.name.localeCompare(b.name)));
  }
  expect(problems).toEqual([]);
});
