import { seedSteps, seenOrder } from '../support/inspector.js';
import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

const IDLE = 600;
const ls = useLoginscope({ workflow: 'implicit-session', ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 } });

test('implicit-session by clicking: fragment, start-session, SSO re-login, forum SSO, attacks', async ({ page, context }) => {
  const problems = watchConsole(page);
  const { app, inspector } = ls;
  const fragments: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().includes('#access_token=')) fragments.push(frame.url());
  });
  const passwordPosts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /password=/.test(r.postData() ?? '')) passwordPosts.push(r.url());
  });

  await page.goto(`${app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(page).toHaveURL(/^http:\/\/login\.localhost:\d+\/oauth2\/authorize\?/);
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(apps.cart(page)).toBeVisible();
  expect(fragments[0]).toMatch(/^http:\/\/store\.localhost:\d+\/oauth-redirect#access_token=[\w-]+\.[\w-]+\.[\w-]+&/);
  await expect(page).toHaveURL(`${app.urls.store}/`);
  expect(await page.evaluate(() => location.hash)).toBe('');
  expect(passwordPosts).toEqual([`${app.urls.login}/oauth2/authorize`]);

  // The session expires: the SPA goes back to authorize and the SSO session brings it straight back, no form.
  await inspector.advance(IDLE + 1);
  await apps.cartButton(page).click();
  await expect.poll(() => fragments.length).toBe(2);
  await expect(apps.cart(page)).toBeVisible();
  await expect(page).toHaveURL(`${app.urls.store}/`);

  // The forum: SSO through the identity server's cookie.
  await page.goto(`${app.urls.forum}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(apps.posts(page)).toBeVisible();
  expect(fragments).toHaveLength(3);
  expect(passwordPosts).toHaveLength(1);
  const sso = (await context.cookies(app.urls.login)).find((c) => c.name === 'fusionauth.sso')!;
  expect(sso).toMatchObject({ httpOnly: true, sameSite: 'Lax', domain: 'login.localhost' });

  expect((await inspector.attack('stolen-session-cookie')).json<{ succeeded: boolean }>().succeeded).toBe(true);
  const state = await inspector.state();
  const { order, unseen } = seenOrder(state);
  expect(unseen).toEqual([]);
  expect(order).toEqual(seedSteps(state).map((s) => s.n));
  expect(problems).toEqual([]);
});

test('the injected script leaks the fragment to attacker.localhost', async ({ page }) => {
  const { app, inspector } = ls;
  expect((await inspector.attack('fragment-theft')).json<{ status: number }>().status).toBe(202);
  const leaked = page.waitForRequest((r) => r.url().startsWith(`${app.urls.attacker}/collect?`));
  await page.goto(`${app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  expect(new URL((await leaked).url()).searchParams.get('fragment')).toMatch(/^access_token=/);
  const outcome = (await inspector.attack('fragment-theft')).json<{ succeeded: boolean; outcome: string }>();
  expect(outcome).toMatchObject({ succeeded: true });
  await page.goto(`${app.urls.attacker}/`);
  await expect(page.getByText('access token (from the URL fragment)')).toBeVisible();
});
