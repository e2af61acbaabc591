import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';

/*
 * WCAG 2.1 A and AA, checked by axe-core in Chromium over every page and the states a demo passes through.
 * Each check prints its count, so a run shows where the pages stand.
 */

const ls = useLoginscope();
// axe over the inspector's SVG (hundreds of nodes) takes seconds per state on two cores.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
  console.log(`axe: ${what}: ${violations.length} rules, ${nodes} nodes`);
  expect(
    violations.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join(' | ')}`),
    what,
  ).toEqual([]);
}

async function openInspector(context: BrowserContext, width = 1280, height = 900): Promise<Page> {
  const inspector = await context.newPage();
  await inspector.setViewportSize({ width, height });
  await inspector.goto(ls.app.inspectorUrl);
  await expect(inspector.getByText('live', { exact: true })).toBeVisible();
  return inspector;
}

const diagram = (inspector: Page) => inspector.getByRole('group', { name: 'Live sequence diagram' });

test('store, forum and the hosted login page: logged out, error shown, logged in', async ({ context }) => {
  await ls.inspector.post('/reset');
  const page = await context.newPage();
  await page.goto(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await expectAccessible(page, 'store, logged out');
  await apps.logInWithForm(page, 'demo@example.com', 'wrong');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'store, login error shown');
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await expectAccessible(page, 'store, logged in');

  await page.goto(`${ls.app.urls.forum}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await expectAccessible(page, 'forum, logged out');
  await apps.logInWithForm(page);
  await expect(apps.posts(page)).toBeVisible();
  await expectAccessible(page, 'forum, logged in');

  // An open app page reloads itself on a switch: leave it first, so the test's own navigation is not cut off.
  await page.goto('about:blank');
  await ls.inspector.workflow('implicit-session');
  await page.goto(`${ls.app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
  await expectAccessible(page, 'hosted login, form');
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'hosted login, error shown');
  await ls.inspector.workflow('native-refresh');
});

test('the inspector: fresh, mid-walk, step detail, after an attack, confirm box, presenter mode', async ({ context }) => {
  await ls.inspector.post('/reset');
  const inspector = await openInspector(context);
  await expectAccessible(inspector, 'inspector, fresh');

  const page = await context.newPage();
  await page.goto(`${ls.app.urls.store}/`);
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await expect(diagram(inspector).locator('[data-step="13"]')).toHaveAttribute('data-seen', 'true');
  await expectAccessible(inspector, 'inspector, native-refresh mid-walk');

  await diagram(inspector).locator('[data-step="10"]').click();
  await expect(inspector.getByRole('region', { name: 'Exchange detail' })).toBeVisible();
  await expectAccessible(inspector, 'inspector, step detail open');

  await inspector.getByRole('button', { name: 'Stolen session cookie', exact: true }).click();
  await expect(inspector.getByTestId('attack-outcome')).toBeVisible();
  await expectAccessible(inspector, 'inspector, after an attack');

  await inspector.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(inspector.getByRole('alertdialog')).toBeVisible();
  await expectAccessible(inspector, 'inspector, confirm box open');
  await inspector.getByRole('button', { name: 'Cancel' }).click();

  await inspector.getByRole('button', { name: /Presenter/ }).click();
  await expectAccessible(inspector, 'inspector, presenter mode');
  await inspector.getByRole('button', { name: /Presenter/ }).click();

  await page.goto('about:blank');
  await ls.inspector.workflow('implicit-session');
  await inspector.reload();
  await page.goto(`${ls.app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(apps.cart(page)).toBeVisible();
  await expect(diagram(inspector).locator('[data-step="16"]')).toHaveAttribute('data-seen', 'true');
  await expectAccessible(inspector, 'inspector, implicit-session mid-walk');
  await ls.inspector.workflow('native-refresh');
});

/** No sideways scrolling (WCAG 1.4.10): the document is no wider than the viewport. */
async function expectNoHorizontalScroll(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `${what}: ${scroll}px of content in a ${client}px window`).toBeLessThanOrEqual(client);
}

test('every page reflows at 320 px wide, and its main action is reachable', async ({ context }) => {
  await ls.inspector.post('/reset');
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await expectNoHorizontalScroll(page, 'store, logged out');
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await expectNoHorizontalScroll(page, 'store, logged in');
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeInViewport({ ratio: 1 });

  await page.goto(`${ls.app.urls.forum}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await expectNoHorizontalScroll(page, 'forum, logged out');
  await apps.logInWithForm(page);
  await expect(apps.posts(page)).toBeVisible();
  await expectNoHorizontalScroll(page, 'forum, logged in');

  await page.goto('about:blank');
  await ls.inspector.workflow('implicit-session');
  await page.goto(`${ls.app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
  await expectNoHorizontalScroll(page, 'hosted login');
  await page.getByRole('button', { name: 'Log in', exact: true }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toBeInViewport();
  await page.goto('about:blank');
  await ls.inspector.workflow('native-refresh');

  const inspector = await openInspector(context, 320, 640);
  await expectNoHorizontalScroll(inspector, 'inspector');
  await inspector.getByRole('button', { name: /Presenter/ }).click();
  await expectNoHorizontalScroll(inspector, 'inspector, presenter mode');
  // Scrolled down, the top bar must leave most of a small window for the content (it is not stuck over it).
  await inspector.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const bar = await inspector.locator('header.topbar').boundingBox();
  const visible = Math.max(0, Math.min(640, bar!.y + bar!.height) - Math.max(0, bar!.y));
  expect(visible, 'presenter top bar still covering the 320×640 window after scrolling').toBeLessThanOrEqual(640 / 3);
});

test('keyboard only: log in, open the cart, advance the clock, run an attack, switch the workflow; focus stays visible and sensible', async ({ context }) => {
  await ls.inspector.post('/reset');
  const page = await context.newPage();
  await page.goto(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await page.getByLabel('Email').focus();
  await page.keyboard.type('demo@example.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo-password');
  await page.keyboard.press('Enter');
  await expect(apps.cart(page)).toBeVisible();

  const inspector = await openInspector(context);
  const focused = () => inspector.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el && el !== document.body ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}` : 'body';
  });

  // The diagram is one tab stop; arrows move inside it; Enter opens the step.
  const diagramSteps = diagram(inspector).locator('[data-step]');
  await expect(diagramSteps.and(inspector.locator('[tabindex="0"]'))).toHaveCount(1);
  await diagramSteps.and(inspector.locator('[tabindex="0"]')).focus();
  const start = await inspector.evaluate(() => document.activeElement?.getAttribute('data-step'));
  await inspector.keyboard.press('ArrowUp');
  const moved = await inspector.evaluate(() => document.activeElement?.getAttribute('data-step'));
  expect(moved).not.toBe(start);
  await inspector.keyboard.press('Enter');
  await expect(inspector.getByRole('region', { name: 'Exchange detail' })).toBeInViewport();

  // Clock: focus stays on the button pressed.
  const later = inspector.getByRole('button', { name: 'A while later', exact: true });
  await later.focus();
  await inspector.keyboard.press('Enter');
  await expect(inspector.getByTestId('sessions-panel').locator('[data-end-reason="expired-idle"]')).toHaveCount(1);
  await expect(later).toBeFocused();

  // An attack from the keyboard: focus stays on its button, the outcome is announced.
  const attack = inspector.getByRole('button', { name: 'Stolen refresh token', exact: true });
  await attack.focus();
  await inspector.keyboard.press('Space');
  await expect(inspector.getByTestId('attack-outcome')).toBeVisible();
  await expect(attack).toBeFocused();

  // Reset asks; the question takes the focus; Escape closes it and gives the focus back.
  const reset = inspector.getByRole('button', { name: 'Reset', exact: true });
  await reset.focus();
  await inspector.keyboard.press('Enter');
  await expect(inspector.getByRole('button', { name: 'Reset the demo' })).toBeFocused();
  await inspector.keyboard.press('Escape');
  await expect(inspector.getByRole('alertdialog')).toHaveCount(0);
  await expect(reset).toBeFocused();

  // Switching the workflow from the keyboard: the picker, the question, then back to the picker.
  const picker = inspector.getByLabel('Workflow', { exact: true });
  await picker.focus();
  await picker.selectOption('implicit-session');
  await expect(inspector.getByRole('button', { name: 'Switch workflow' })).toBeFocused();
  await inspector.keyboard.press('Enter');
  await expect(diagram(inspector).locator('[data-step="A1"]')).toHaveCount(1);
  await expect(picker).toBeFocused();
  expect(await focused()).not.toBe('body');
  await page.goto('about:blank');
  await ls.inspector.workflow('native-refresh');
});

test('one-key controls and app links in the top bar: P presenter mode, R asks to reset, the store and forum open in their named tabs', async ({ context }) => {
  const inspector = await openInspector(context);
  const presenter = inspector.getByRole('button', { name: 'Presenter mode' });
  await inspector.locator('body').click({ position: { x: 5, y: 5 } });
  await inspector.keyboard.press('p');
  await expect(presenter).toHaveAttribute('aria-pressed', 'true');
  await inspector.keyboard.press('p');
  await expect(presenter).toHaveAttribute('aria-pressed', 'false');
  await inspector.keyboard.press('r');
  await expect(inspector.getByRole('alertdialog')).toContainText('Reset ends every server-side session');
  await inspector.keyboard.press('Escape');
  await expect(inspector.getByRole('alertdialog')).toHaveCount(0);
  // Typing in a field is not a shortcut.
  await inspector.getByLabel('Advance minutes').fill('');
  await inspector.getByLabel('Advance minutes').press('p');
  await expect(presenter).toHaveAttribute('aria-pressed', 'false');

  const [store] = await Promise.all([context.waitForEvent('page'), inspector.getByRole('button', { name: 'Open the store' }).click()]);
  await expect(store).toHaveURL(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(store).or(apps.cart(store))).toBeVisible();
});
