import type { Page } from '@playwright/test';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';
import { arrow, attackItem, attackOutcome, cookiePanel, cookieRow, counts, expectSeen, expectUnseen, isExchange, openApp, openInspector, range, resetFromInspector, state, step, trace } from './support/inspector-page.js';

/**
 * Issue 12, items 1, 2, 4 and 5, as a presenter demos native-refresh in Chromium: rehearse, Reset, reload, let time
 * pass, run the attacks when the story gets there, log out. Each test asserts the diagram (`data-step`/`data-seen`),
 * GET /api/state and the browser's own jar. Items 3 and 7: demo-truth-reset.spec.ts, demo-truth-labels.spec.ts.
 */
const IDLE = 600;
const REFRESH_MINUTES = 60;
const ls = useLoginscope({ ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: REFRESH_MINUTES, ssoSessionSeconds: 3600 } });

test.describe.configure({ timeout: 120_000 });

test.beforeEach(async () => {
  // Each test is a clean start on the servers' side (a fresh Playwright context is a fresh browser).
  expect((await ls.inspector.workflow('native-refresh')).status).toBe(200);
  expect((await ls.inspector.post('/reset')).status).toBe(200);
});

const CACHED = '304 — from the browser’s cache';

/** Every page load of an app (`GET /` by the browser) in the trace, with its status. */
async function pageLoads(app: 'store' | 'forum') {
  return (await trace(ls)).filter(isExchange).filter((e) => e.actor === 'browser' && e.origin === app && e.method === 'GET' && e.path === '/');
}

async function logIn(page: Page, what: 'cart' | 'posts') {
  await expect(apps.loginForm(page)).toBeVisible();
  await apps.logInWithForm(page);
  await expect(what === 'cart' ? apps.cart(page) : apps.posts(page)).toBeVisible();
}

const account = (page: Page) => page.getByRole('navigation', { name: 'Account' });

test('item 1: rehearse, Reset, reload the store twice: every page load lights 2 (and 25), a revalidated one labelled as the browser’s cache', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  // The rehearsal: both apps opened once, so the browser has their pages in its cache.
  const store = await openApp(ls, context, 'store');
  await expect(apps.loginForm(store.page)).toBeVisible();
  const forum = await openApp(ls, context, 'forum');
  await expect(apps.loginForm(forum.page)).toBeVisible();
  await expectSeen(inspector, [1, 2, 24, 25]);
  // A first load is a real 200 and keeps the catalogue's label: the cache wording is not painted on every load.
  expect(step(await state(ls), 2).label).toBe('200 (HTML, CSS, JavaScript)');
  await expect(arrow(inspector, 2)).not.toContainText('304');

  // Reset from the top bar: the diagram starts dim, and the open tabs reload by themselves.
  await resetFromInspector(inspector);
  await expect.poll(async () => (await pageLoads('store')).length, { message: 'the store tab reloaded after Reset' }).toBeGreaterThanOrEqual(1);
  await expect.poll(async () => (await pageLoads('forum')).length, { message: 'the forum tab reloaded after Reset' }).toBeGreaterThanOrEqual(1);
  await expect(apps.loginForm(store.page)).toBeVisible();

  // The presenter reloads the store twice; each is a revalidation of the cached page.
  for (let i = 0; i < 2; i++) {
    await store.page.reload();
    await expect(apps.loginForm(store.page)).toBeVisible();
  }
  await forum.page.reload();
  await expect(apps.loginForm(forum.page)).toBeVisible();

  const storeLoads = await pageLoads('store');
  const forumLoads = await pageLoads('forum');
  expect(storeLoads.length, 'the auto reload and two reloads').toBeGreaterThanOrEqual(3);
  expect(storeLoads.at(-1)!.status, 'the last store load was revalidated').toBe(304);
  expect(forumLoads.at(-1)!.status, 'the last forum load was revalidated').toBe(304);
  // Every load is the same step, lit once each: 200 or 304 alike.
  for (const e of [...storeLoads, ...forumLoads]) expect(e.steps, `${e.origin} GET / (${e.status}) is a page-load step`).toEqual(e.origin === 'store' ? [1, 2] : [24, 25]);

  await expect.poll(async () => step(await state(ls), 2).count).toBe(storeLoads.length);
  const s = await state(ls);
  expect(step(s, 1).count).toBe(storeLoads.length);
  expect(step(s, 2)).toMatchObject({ seen: true, label: CACHED, lastEventId: storeLoads.at(-1)!.id });
  expect(step(s, 25)).toMatchObject({ seen: true, count: forumLoads.length, label: CACHED, lastEventId: forumLoads.at(-1)!.id });
  await expectSeen(inspector, [1, 2, 24, 25]);
  await expect(arrow(inspector, 2)).toContainText(CACHED);
  await expect(arrow(inspector, 25)).toContainText(CACHED);
  expect([...problems, ...store.problems, ...forum.problems]).toEqual([]);
});

test('item 2: a while later, reload the store: the refresh inside GET /api/me lights 14–18 (not 11–13), the header still says Demo User', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  const { page, problems: pageProblems } = await openApp(ls, context, 'store');
  await logIn(page, 'cart');
  await expect(account(page)).toContainText('Demo User');
  await expectSeen(inspector, range(1, 13));
  await expectUnseen(inspector, range(14, 22));
  const firstSession = (await context.cookies(ls.app.urls.store)).find((c) => c.name === 'store_session')!.value;
  const before = await counts(ls);

  // "A while later" in the inspector: past the session's idle timeout. Then the presenter reloads the store.
  await inspector.getByRole('button', { name: 'A while later', exact: true }).click();
  await expect.poll(async () => (await state(ls)).sessions.store.map((x) => `${x.status}:${x.endReason}`)).toEqual(['ended:expired-idle']);
  const meAnswered = page.waitForResponse((r) => r.url() === `${ls.app.urls.store}/api/me`);
  await page.reload();
  expect((await meAnswered).status(), 'GET /api/me renewed the session').toBe(200);
  await expect(apps.cart(page)).toBeVisible();

  await expectSeen(inspector, range(14, 18));
  await expect(arrow(inspector, 14)).toContainText('A while later: GET /api/me');
  await expect(arrow(inspector, 18)).toContainText('200 (user)');
  await expectUnseen(inspector, range(19, 22));

  const events = await trace(ls);
  const me = events.filter(isExchange).filter((e) => e.actor === 'browser' && e.origin === 'store' && e.path === '/api/me' && e.status === 200);
  expect(me, 'one start-up /api/me after the reload').toHaveLength(1);
  expect(me[0]!.requestCookies).toHaveProperty('store_session');
  expect(me[0]!.requestCookies).toHaveProperty('store_refresh_token');
  // The request and its answer are 14 and 18; what it caused inside is 15–17.
  expect(me[0]!.steps).toEqual([14, 18]);
  const inside = events.filter((e) => e.correlationId === me[0]!.id);
  const refresh = inside.filter(isExchange).find((e) => e.actor === 'store-backend' && e.path === '/api/jwt/refresh');
  expect(refresh, 'the backend refreshed inside that /api/me').toMatchObject({ status: 200, steps: [15, 16] });
  expect(inside.find((e) => e.type === 'session.created')).toMatchObject({ data: { origin: 'refresh' }, steps: [17] });

  const s = await state(ls);
  expect(step(s, 14)).toMatchObject({ count: before['14']! + 1, label: 'A while later: GET /api/me', lastEventId: me[0]!.id });
  expect(step(s, 18)).toMatchObject({ count: before['18']! + 1, label: '200 (user)', lastEventId: me[0]!.id });
  // Not "who am I? 404" and not the plain cart steps: 3, 4 unchanged, and 11–13 only from the cart load after it.
  expect(step(s, 3).count).toBe(before['3']);
  expect(step(s, 4).count).toBe(before['4']);
  for (const n of [11, 12, 13]) {
    expect(step(s, n).count, `step ${n}`).toBe(before[String(n)]! + 1);
    const last = events.find((e) => e.id === step(s, n).lastEventId);
    const root = last && isExchange(last) ? last : events.find((e) => e.id === last?.correlationId);
    expect(root && isExchange(root) ? root.path : undefined, `step ${n} is the cart load after start-up`).toBe('/api/cart');
  }
  // The session was made again from the refresh token: a new cookie, the one the inspector shows.
  expect(s.sessions.store.filter((x) => x.status === 'active').map((x) => x.origin)).toEqual(['refresh']);
  const jar = Object.fromEntries((await context.cookies(ls.app.urls.store)).map((c) => [c.name, c.value]));
  expect(jar.store_session).not.toBe(firstSession);
  expect((s.cookies.store ?? []).filter((c) => !c.deleted).map((c) => [c.name, c.value]).sort()).toEqual(Object.entries(jar).sort());

  // The header greets the user by name, as after the login (not the email from the JWT).
  await expect(account(page)).toContainText('Demo User');
  await expect(account(page)).not.toContainText('demo@example.com');
  expect([...problems, ...pageProblems]).toEqual([]);
});

test('item 4: walk 1–36 in the seed’s order, then the attacks say what they need; "Log the user in first" logs in for real and the attack runs', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  const store = await openApp(ls, context, 'store');
  await logIn(store.page, 'cart');
  const cartAnswer = (status: number) => store.page.waitForResponse((r) => r.url() === `${ls.app.urls.store}/api/cart` && r.status() === status);
  // A while later: the cart renews the session with the refresh token.
  await inspector.getByRole('button', { name: 'A while later', exact: true }).click();
  await expect.poll(async () => (await state(ls)).sessions.store.filter((x) => x.status === 'active')).toHaveLength(0);
  let answered = cartAnswer(200);
  await apps.cartButton(store.page).click();
  await answered;
  // Later still: the refresh token is dead as well; the cart answers 401.
  await inspector.getByRole('button', { name: 'Later still', exact: true }).click();
  await expect(inspector.locator('[data-testid="refresh-token-row"][data-status="expired"]')).toHaveCount(1);
  answered = cartAnswer(401);
  await apps.cartButton(store.page).click();
  await answered;
  await expect(store.page.getByText('Your session ended.')).toBeVisible();
  // Then the forum, its own login.
  const forum = await openApp(ls, context, 'forum');
  await logIn(forum.page, 'posts');
  await expectSeen(inspector, range(1, 36));
  await expectUnseen(inspector, range(37, 44));

  // Each attack says what it needs, and that it is missing now.
  const refreshAttack = attackItem(inspector, 'stolen-refresh-token');
  const sessionAttack = attackItem(inspector, 'stolen-session-cookie');
  await expect(refreshAttack).toHaveAttribute('data-ready', 'false');
  await expect(refreshAttack).toContainText('Needs: The store’s live refresh token: the user must be logged in to the store.');
  await expect(refreshAttack).toContainText('The store’s refresh token in the browser is expired');
  await expect(sessionAttack).toHaveAttribute('data-ready', 'false');
  await expect(sessionAttack).toContainText('the user must be logged in to the store, with a session that has not expired');
  await expect(sessionAttack).toContainText('has ended on the server');
  const offered = await state(ls);
  expect(offered.attacks.map((a) => [a.id, a.fix])).toEqual([
    ['stolen-refresh-token', 'log-in-store'],
    ['stolen-session-cookie', 'log-in-store'],
  ]);

  // Run as it is (from the API), the refusal says it is the defence working.
  const refused = (await ls.inspector.attack('stolen-refresh-token')).json<{ kind: string; succeeded: boolean; status: number; outcome: string }>();
  expect(refused).toMatchObject({ kind: 'refused', succeeded: false, status: 401 });
  expect(refused.outcome).toContain('had already expired');
  expect(refused.outcome).toContain('defence that worked');
  await expectSeen(inspector, [38]);
  await expectUnseen(inspector, [37, 39, 40, 41]);

  // "Log the user in first": the store opens in its named tab and logs the demo user in through its own form path.
  const before = await counts(ls);
  const mark = (await trace(ls)).at(-1)!.id;
  const opened = inspector.waitForEvent('popup');
  const arrived = context.waitForEvent('request', (r) => r.isNavigationRequest() && r.url().startsWith(`${ls.app.urls.store}/`));
  await refreshAttack.getByRole('button', { name: 'Log the user in first' }).click();
  const popup = await opened;
  expect(new URL((await arrived).url()).searchParams.get('loginscope')).toBe('log-in');
  await expect(apps.cart(popup)).toBeVisible();
  await expect(account(popup)).toContainText('Demo User');
  await expect(popup, 'the query is taken out so a reload does not log in again').toHaveURL(`${ls.app.urls.store}/`);

  // Then the attack ran by itself, and worked.
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'worked', { timeout: 15_000 });
  await expect(attackOutcome(inspector)).toContainText('Stolen refresh token');
  await expect(attackOutcome(inspector)).toContainText('attack worked');
  await expectSeen(inspector, range(37, 41));
  const logins = (await trace(ls)).filter(isExchange).filter((e) => e.id > mark && e.actor === 'browser' && e.origin === 'store' && e.method === 'POST' && e.path === '/api/login');
  expect(logins.map((e) => e.status), 'one real login through the form’s API').toEqual([200]);
  // The login's own halves are 6 and 10; 7–9 happened inside it.
  expect(logins[0]!.steps).toEqual([6, 10]);
  const after = await counts(ls);
  for (const n of range(6, 10)) expect(after[String(n)], `step ${n} lit again`).toBe(before[String(n)]! + 1);
  expect(after['37']).toBe(1);

  // Now the session is live too: the second attack is ready and works.
  await expect(sessionAttack).toHaveAttribute('data-ready', 'true');
  await sessionAttack.getByRole('button', { name: 'Stolen session cookie', exact: true }).click();
  await expect(attackOutcome(inspector)).toContainText('Stolen session cookie');
  await expect(attackOutcome(inspector)).toHaveAttribute('data-kind', 'worked');
  await expectSeen(inspector, range(42, 44));
  // The attacker's copy is the browser's own refresh-token cookie.
  const jar = Object.fromEntries((await context.cookies(ls.app.urls.store)).map((c) => [c.name, c.value]));
  const loot = (await state(ls)).loot.filter((l) => l.kind === 'refresh token cookie').at(-1);
  expect(loot?.value).toBe(jar.store_refresh_token);
  expect([...problems, ...store.problems, ...forum.problems]).toEqual([]);
});

test('item 5: Log out: the deleted cookies show struck through, "deleted by store.localhost at …", then leave the panel', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  const { page, problems: pageProblems } = await openApp(ls, context, 'store');
  await logIn(page, 'cart');
  const names = ['store_session', 'store_refresh_token'];
  for (const name of names) await expect(cookieRow(inspector, 'store', name)).not.toHaveAttribute('data-deleted', 'true');
  expect((await context.cookies(ls.app.urls.store)).map((c) => c.name).sort()).toEqual(names.slice().sort());

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(apps.loginForm(page)).toBeVisible();
  expect(await context.cookies(ls.app.urls.store), 'the browser deleted both').toEqual([]);

  // For a few seconds: struck through, saying who deleted it and when; never an "expired … ago" countdown.
  for (const name of names) {
    const row = cookieRow(inspector, 'store', name);
    await expect(row).toHaveAttribute('data-deleted', 'true');
    await expect(row).toContainText(/deleted by store\.localhost at \d\d:\d\d:\d\d/);
    await expect(row).not.toContainText('expires');
  }
  await expect(cookiePanel(inspector)).not.toContainText(/expired/);
  const s = await state(ls);
  expect((s.cookies.store ?? []).map((c) => [c.name, c.deleted?.by]).sort()).toEqual(names.map((n) => [n, 'store']).sort());

  // Then they leave, by the browser's (real) time; the inspector's clock is not moved.
  await expect.poll(async () => ((await state(ls)).cookies.store ?? []).length, { timeout: 12_000, message: 'state forgets the deleted cookies' }).toBe(0);
  await expect(cookiePanel(inspector)).not.toContainText(/expired/);
  expect([...problems, ...pageProblems]).toEqual([]);
});

test('item 5, the panel: after Log out, with nothing else happening, the struck-through rows leave the panel by themselves', async ({ context }) => {
  const { inspector } = await openInspector(ls, context);
  const { page } = await openApp(ls, context, 'store');
  await logIn(page, 'cart');
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(apps.loginForm(page)).toBeVisible();
  await expect(cookieRow(inspector, 'store', 'store_session')).toHaveAttribute('data-deleted', 'true');
  await expect.poll(async () => ((await state(ls)).cookies.store ?? []).length, { timeout: 12_000 }).toBe(0);
  for (const name of ['store_session', 'store_refresh_token']) await expect(cookieRow(inspector, 'store', name), `${name} left the panel`).toHaveCount(0, { timeout: 5_000 });
});
