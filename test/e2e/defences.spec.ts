import { apps, expect, test, useLoginscope } from './support/fixtures.js';
import { attackItem, attackOutcome, openApp, openInspector, state } from './support/inspector-page.js';

/**
 * Issue 15 in Chromium: the attack panel's Defences list the shown workflow's defences with their clause; one
 * switched on flips its attack from worked to refused, for that defence's reason, while the real browser stays in.
 */
const ls = useLoginscope();

test.describe.configure({ timeout: 90_000 });

test('client binding switched on in the inspector refuses the stolen session cookie, and the victim’s browser keeps working', async ({ context }) => {
  expect((await ls.inspector.workflow('native-refresh')).status).toBe(200);
  const { inspector, problems } = await openInspector(ls, context);
  const group = inspector.getByTestId('attack-panel').getByRole('group', { name: /Defences/ });
  await expect(group.getByRole('checkbox')).toHaveCount(3);
  const binding = group.getByRole('checkbox', { name: 'Session bound to the client' });
  await expect(binding).not.toBeChecked();
  await expect(binding).toHaveAccessibleDescription(/Binding the Session ID to Other User Properties/);

  const store = await openApp(ls, context, 'store');
  await apps.logInWithForm(store.page);
  await expect(apps.cart(store.page)).toBeVisible();

  // Off: the attack works.
  await attackItem(inspector, 'stolen-session-cookie').getByRole('button', { name: 'Stolen session cookie' }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'worked');

  // On, from the checkbox: the real Chromium is the client that logged in, so its own requests still pass.
  await binding.check();
  await expect.poll(async () => (await state(ls)).defences['client-binding']).toBe(true);
  await expect(binding).toBeChecked();
  await apps.cartButton(store.page).click();
  await expect(apps.cart(store.page)).toBeVisible();
  expect((await state(ls)).sessions.store[0]).toMatchObject({ status: 'active' });

  await attackItem(inspector, 'stolen-session-cookie').getByRole('button', { name: 'Stolen session cookie' }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'refused');
  await expect(attackOutcome(inspector)).toContainText('Refused by client binding');
  expect((await state(ls)).sessions.store.find((s) => s.endReason === 'client-mismatch')).toBeTruthy();

  // The victim's browser gets a new session (its refresh token); the careful thief copies its user agent and gets in.
  await apps.cartButton(store.page).click();
  await expect(apps.cart(store.page)).toBeVisible();
  await expect.poll(async () => (await state(ls)).sessions.store[0]?.status).toBe('active');
  await attackItem(inspector, 'stolen-session-cookie').getByRole('button', { name: 'Careful thief: copies the user agent' }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'worked');
  await expect(attackOutcome(inspector)).toContainText('only detects careless thieves');
  expect(problems).toEqual([]);
  expect(store.problems).toEqual([]);
});

test('the strict CSP blocks the injected script’s leak of the URL fragment: the browser refuses it, and the attack is refused', async ({ context }) => {
  const { app, inspector: api } = ls;
  expect((await api.workflow('implicit-session')).status).toBe(200);
  expect((await api.attack('fragment-theft')).json<{ kind: string }>().kind).toBe('armed');
  expect((await api.post('/defences', { 'strict-csp': true })).status).toBe(200);
  const { inspector } = await openInspector(ls, context);
  await expect(inspector.getByTestId('attack-panel').getByRole('group', { name: /Defences/ }).getByRole('checkbox', { name: 'Strict content security policy' })).toBeChecked();

  const page = await context.newPage();
  const toAttacker: string[] = [];
  const refusals: string[] = [];
  // Chromium announces a request the CSP then blocks; only one that was really sent gets a response.
  page.on('response', (r) => {
    if (r.url().startsWith(app.urls.attacker)) toAttacker.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) refusals.push(m.text());
  });
  const scriptRan = page.waitForResponse((r) => r.url() === `${app.urls.store}/vendor/analytics.js` && r.status() === 200);
  await page.goto(`${app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await scriptRan;
  // The browser's own report of the blocked exfiltration.
  await expect.poll(() => refusals.find((t) => t.includes(app.urls.attacker))).toBeTruthy();
  expect(toAttacker).toEqual([]);

  await attackItem(inspector, 'fragment-theft').getByRole('button', { name: 'Script reads the token from the URL' }).click();
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'refused');
  await expect(attackOutcome(inspector)).toContainText('Refused by the strict content security policy');
  expect((await state(ls)).loot.some((l) => l.kind === 'access token (from the URL fragment)')).toBe(false);
});
