import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { apps, expect, test, useLoginscope } from './support/fixtures.js';

/*
 * WCAG 2.1 A and AA, checked by axe-core in Chromium over every page and the states a demo passes through.
 * Each check prints its count, so a run shows where the pages stand.
 */

const ls = useLoginscope();
test.describe.configure({ mode: 'serial', timeout: 120_000 });

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
