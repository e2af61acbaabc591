import type { BrowserContext, Page } from '@playwright/test';
import type { TrackEntry } from '../../renderer/inspector/types.js';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';
import { arrow, diagram, expectSeen, expectUnseen, openInspector, range, state, switchFromInspector } from './support/inspector-page.js';

/*
 * The guided track (issue 13): each seed walked from start to end with the Guide panel's Next button for every
 * inspector-side action, and Playwright for the app-side ones. At each entry the panel shows the track's own words,
 * and Next is enabled exactly when its action can run.
 */

const ls = useLoginscope({ ttl: { sessionIdleSeconds: 600, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 } });

test.describe.configure({ mode: 'serial', timeout: 180_000 });

const guide = (inspector: Page) => inspector.getByRole('region', { name: 'Guide' });
const nextButton = (inspector: Page) => guide(inspector).getByRole('button', { name: /^Next:/ });

/** The panel is at entry `i` of the API's track: its words, and a Next button only for inspector-side actions. */
async function expectEntry(inspector: Page, track: TrackEntry[], i: number) {
  const entry = track[i]!;
  await expect(guide(inspector).getByTestId('guide-position'), `at track entry ${i}`).toHaveAttribute('data-entry', String(i));
  await expect(guide(inspector).getByTestId('guide-say')).toHaveText(entry.say);
  if (entry.next.kind === 'inspector') {
    await expect(nextButton(inspector)).toHaveAccessibleName(`Next: ${entry.next.label}`);
  } else {
    await expect(nextButton(inspector)).toHaveCount(0);
    await expect(guide(inspector).getByTestId('guide-todo')).toContainText(entry.next.action);
  }
}

/** Next is enabled (and says no reason) exactly when the inspector's own readiness says the attack can run. */
async function expectAttackNext(inspector: Page, id: string) {
  const attack = (await state(ls)).attacks.find((a) => a.id === id)!;
  if (attack.missing === undefined) {
    await expect(nextButton(inspector)).toBeEnabled();
    await expect(guide(inspector).getByTestId('guide-reason')).toHaveCount(0);
  } else {
    await expect(nextButton(inspector)).toBeDisabled();
    await expect(guide(inspector).getByTestId('guide-reason')).toHaveText(attack.missing);
  }
  return attack;
}

/** Clicks the guide's "Go to the …" button and returns the tab it opened (the same named tab as the top bar's "Open the …"). */
async function openFromGuide(context: BrowserContext, inspector: Page, app: 'store' | 'forum'): Promise<Page> {
  const [page] = await Promise.all([context.waitForEvent('page'), guide(inspector).getByRole('button', { name: `Go to the ${app}`, exact: true }).click()]);
  await expect(page).toHaveURL(`${ls.app.urls[app]}/`);
  return page;
}

const storeSessions = (inspector: Page, status: 'active' | 'ended') => inspector.locator(`[data-testid="session-row"][data-app="store"][data-status="${status}"]`);

function expectTrackNamesRealSteps(track: TrackEntry[], steps: Array<{ n: number }>) {
  const known = new Set(steps.map((s) => s.n));
  for (const e of track) {
    if (e.after !== 0) expect(known.has(e.after), `after ${e.after}`).toBe(true);
    expect(known.has(e.done), `done ${e.done}`).toBe(true);
  }
}

test('native-refresh: the guide walks the whole seed, Next enabled exactly when it can run', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  const { track, steps, workflow } = await state(ls);
  expect(workflow).toBe('native-refresh');
  expectTrackNamesRealSteps(track, steps);
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(0);

  // Load the store: app-side, so the guide offers to open it (and that opens the store's named tab).
  await expectEntry(inspector, track, 0);
  const store = await openFromGuide(context, inspector, 'store');
  await expect(apps.loginForm(store)).toBeVisible();
  await expectSeen(inspector, range(1, 5));

  // Log in; the cart shows by itself, so the cart entry is passed too.
  await expectEntry(inspector, track, 1);
  await apps.logInWithForm(store);
  await expect(apps.cart(store)).toBeVisible();
  await expectSeen(inspector, range(6, 13));

  // A while later, from the guide: the session ends on the server; the cart click then renews it.
  await expectEntry(inspector, track, 3);
  await expect(nextButton(inspector)).toBeEnabled();
  await nextButton(inspector).click();
  await expect(storeSessions(inspector, 'ended')).toHaveAttribute('data-end-reason', 'expired-idle');
  await expect(storeSessions(inspector, 'active')).toHaveCount(0);
  await expectEntry(inspector, track, 4);
  await expectUnseen(inspector, [14]);
  await apps.cartButton(store).click();
  await expectSeen(inspector, range(14, 18));
  await expect(storeSessions(inspector, 'active')).toHaveCount(1);

  // Later still: the refresh token goes too; the cart click ends at the login form.
  await expectEntry(inspector, track, 5);
  await expect(nextButton(inspector)).toBeEnabled();
  await nextButton(inspector).click();
  await expect(inspector.locator('[data-testid="refresh-token-row"][data-status="expired"]')).toHaveCount(1);
  await expectEntry(inspector, track, 6);
  await apps.cartButton(store).click();
  await expect(store.getByText('Your session ended.')).toBeVisible();
  await expectSeen(inspector, range(19, 23));

  // The forum, opened from the guide; its own login.
  await expectEntry(inspector, track, 7);
  const forum = await openFromGuide(context, inspector, 'forum');
  await expect(apps.loginForm(forum)).toBeVisible();
  await expectSeen(inspector, range(24, 28));
  await expectEntry(inspector, track, 8);
  await apps.logInWithForm(forum);
  await expect(apps.posts(forum)).toBeVisible();
  await expectSeen(inspector, range(29, 36));

  // The stolen refresh token: the store's token expired at "Later still", so Next cannot run yet and says why.
  await expectEntry(inspector, track, 9);
  const blocked = await expectAttackNext(inspector, 'stolen-refresh-token');
  expect(blocked.missing).toBeDefined();
  await expect(guide(inspector).getByRole('button', { name: 'Log in at the store' })).toBeVisible();
  await nextButton(inspector).dispatchEvent('click');
  await expect(inspector.getByTestId('attack-outcome')).toHaveCount(0);
  await expectUnseen(inspector, [37]);
  // Logging in again at the store gives it a live refresh token: now Next runs the attack.
  await apps.logInWithForm(store);
  await expect(apps.cart(store)).toBeVisible();
  const ready = await expectAttackNext(inspector, 'stolen-refresh-token');
  expect(ready.missing).toBeUndefined();
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toContainText(ready.title);
  await expectSeen(inspector, range(37, 41));

  // The stolen session cookie; then the walk is over.
  await expectEntry(inspector, track, 10);
  const session = await expectAttackNext(inspector, 'stolen-session-cookie');
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toContainText(session.title);
  await expectSeen(inspector, range(42, 44));
  await expect(guide(inspector).getByTestId('guide-finished')).toBeVisible();
  await expect(nextButton(inspector)).toHaveCount(0);
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(44);
  expect(problems).toEqual([]);
});

test('implicit-session: the guide walks the seed and the added attacks', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  await switchFromInspector(ls, inspector, 'implicit-session');
  const { track, steps } = await state(ls);
  expectTrackNamesRealSteps(track, steps);

  await expectEntry(inspector, track, 0);
  const store = await openFromGuide(context, inspector, 'store');
  await expectSeen(inspector, range(1, 4));

  await expectEntry(inspector, track, 1);
  await store.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await apps.logInWithForm(store);
  await expect(apps.cart(store)).toBeVisible();
  await expectSeen(inspector, range(5, 16));

  await expectEntry(inspector, track, 3);
  await expect(nextButton(inspector)).toBeEnabled();
  await nextButton(inspector).click();
  await expect(storeSessions(inspector, 'ended')).toHaveAttribute('data-end-reason', 'expired-idle');
  await expectEntry(inspector, track, 4);
  await apps.cartButton(store).click();
  await expectSeen(inspector, range(17, 28));

  await expectEntry(inspector, track, 5);
  const forum = await openFromGuide(context, inspector, 'forum');
  await expectSeen(inspector, range(29, 32));
  await expectEntry(inspector, track, 6);
  await forum.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(apps.posts(forum)).toBeVisible();
  await expectSeen(inspector, range(33, 42));

  await expectEntry(inspector, track, 7);
  const stolen = await expectAttackNext(inspector, 'stolen-session-cookie');
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toContainText(stolen.title);
  await expectSeen(inspector, range(43, 45));

  // Fragment theft: arm (runs while unarmed, though the attack itself is not ready), log in again, run.
  await expectEntry(inspector, track, 8);
  expect((await state(ls)).attacks.find((a) => a.id === 'fragment-theft')!.missing).toBeDefined();
  await expect(nextButton(inspector)).toBeEnabled();
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toHaveAttribute('data-kind', 'armed');
  await expectEntry(inspector, track, 9);
  await store.getByRole('button', { name: 'Log out', exact: true }).click();
  await store.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(apps.cart(store)).toBeVisible();
  await expectSeen(inspector, ['A1']);

  await expectEntry(inspector, track, 10);
  const theft = await expectAttackNext(inspector, 'fragment-theft');
  expect(theft.missing).toBeUndefined();
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toHaveAttribute('data-kind', 'worked');
  await expectSeen(inspector, ['A2', 'A3', 'A4', 'A5', 'A6']);

  await expectEntry(inspector, track, 11);
  const injection = await expectAttackNext(inspector, 'token-injection');
  expect(injection.missing).toBeUndefined();
  await nextButton(inspector).click();
  await expect(inspector.getByTestId('attack-outcome')).toContainText(injection.title);
  await expectSeen(inspector, ['A7', 'A8']);

  await expect(guide(inspector).getByTestId('guide-finished')).toBeVisible();
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(45 + 8);
  for (const s of (await state(ls)).steps) await expect(arrow(inspector, s.tag), `step ${s.tag}`).toHaveAttribute('data-seen', 'true');
  expect(problems).toEqual([]);
});

test('auto-play: runs the inspector-side actions itself, waits at the app-side ones, pauses and resumes', async ({ context }) => {
  const { inspector, problems } = await openInspector(ls, context);
  await switchFromInspector(ls, inspector, 'native-refresh');
  const { track } = await state(ls);
  const play = guide(inspector).getByTestId('guide-play');
  const waiting = guide(inspector).getByRole('status');
  // Until the forum's login, the store's is the only refresh token.
  const refreshTokens = (status: 'active' | 'expired') => inspector.locator(`[data-testid="refresh-token-row"][data-status="${status}"]`);

  await expect(play).toHaveText('Play');
  await play.click();
  await expect(play).toHaveText('Pause');
  await expect(waiting).toHaveText('Waiting for: Open the store (in the store)');

  const store = await openFromGuide(context, inspector, 'store');
  await expect(waiting).toContainText('Log in at the store');
  await apps.logInWithForm(store);
  await expect(apps.cart(store)).toBeVisible();
  // "A while later" ran by itself: the session ended with nobody pressing anything; now it waits for the cart click.
  await expect(storeSessions(inspector, 'ended')).toHaveAttribute('data-end-reason', 'expired-idle');
  await expectEntry(inspector, track, 4);
  await expect(waiting).toHaveText('Waiting for: Click Cart in the store (in the store)');

  // Paused: the cart click moves the track on, but "Later still" waits for Resume.
  await play.click();
  await expect(play).toHaveText('Resume');
  await apps.cartButton(store).click();
  await expectSeen(inspector, range(14, 18));
  await expectEntry(inspector, track, 5);
  await expect(waiting).toHaveCount(0);
  await expect(refreshTokens('expired')).toHaveCount(0);
  await expect(refreshTokens('active')).toHaveCount(1);
  await play.click();
  await expect(play).toHaveText('Pause');
  await expect(refreshTokens('expired')).toHaveCount(1);
  await expectEntry(inspector, track, 6);

  await apps.cartButton(store).click();
  await expectSeen(inspector, range(19, 23));
  const forum = await openFromGuide(context, inspector, 'forum');
  await apps.logInWithForm(forum);
  await expect(apps.posts(forum)).toBeVisible();
  await expectSeen(inspector, range(24, 36));

  // The stolen refresh token cannot run (the store's token expired): it waits, saying why, and runs once it can.
  const missing = (await state(ls)).attacks.find((a) => a.id === 'stolen-refresh-token')!.missing!;
  await expect(waiting).toHaveText(`Waiting for: ${missing}`);
  await expectUnseen(inspector, [37]);
  await apps.logInWithForm(store);
  await expect(apps.cart(store)).toBeVisible();
  // Both attacks then run on their own, one after the other.
  await expectSeen(inspector, range(37, 44));
  await expect(guide(inspector).getByTestId('guide-finished')).toBeVisible();
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(44);
  const steps = (await state(ls)).steps;
  expect(steps.find((s) => s.n === 37)!.count, 'the refresh-token attack ran once').toBe(1);
  expect(steps.find((s) => s.n === 42)!.count, 'the session-cookie attack ran once').toBe(1);
  expect(problems).toEqual([]);
});
