import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page, TestInfo } from '@playwright/test';
import type { InspectorState } from '../support/inspector.js';
import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

/*
 * The inspector, live, while a user walks each seed in the store and forum (two pages of one context).
 * Time moves only from the inspector's own clock buttons.
 */

const IDLE = 600;
const ls = useLoginscope({ ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 } });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

async function openInspector(context: BrowserContext): Promise<{ inspector: Page; problems: string[] }> {
  const inspector = await context.newPage();
  await inspector.setViewportSize({ width: 620, height: 1200 });
  const problems = watchConsole(inspector);
  await inspector.goto(ls.app.inspectorUrl);
  // The launch token is kept for the tab and taken out of the address bar.
  await expect(inspector).toHaveURL(`${ls.app.urls.inspector}/`);
  await expect(inspector.getByText('live', { exact: true })).toBeVisible();
  return { inspector, problems };
}

const diagram = (inspector: Page) => inspector.getByRole('group', { name: 'Live sequence diagram' });
const arrow = (inspector: Page, n: number) => diagram(inspector).locator(`[data-step="${n}"]`);

async function expectSeen(inspector: Page, steps: number[]) {
  for (const n of steps) await expect(arrow(inspector, n), `step ${n} lit`).toHaveAttribute('data-seen', 'true');
}

async function expectUnseen(inspector: Page, steps: number[]) {
  for (const n of steps) await expect(arrow(inspector, n), `step ${n} still dim`).not.toHaveAttribute('data-seen', 'true');
}

/** The lit arrows in the order they first lit (the diagram's `data-seen-order`). */
function seenOrder(inspector: Page): Promise<number[]> {
  return diagram(inspector)
    .locator('[data-seen="true"]')
    .evaluateAll((els) =>
      els
        .filter((el) => /^\d+$/.test(el.getAttribute('data-step') ?? ''))
        .map((el) => ({ n: Number(el.getAttribute('data-step')), order: Number(el.getAttribute('data-seen-order')) }))
        .sort((a, b) => a.order - b.order)
        .map((s) => s.n),
    );
}

const cookieRow = (inspector: Page, origin: string, name: string): Locator =>
  inspector.getByTestId('cookie-panel').locator(`[data-testid="cookie-row"][data-origin="${origin}"][data-name="${name}"]`);
const sessionRows = (inspector: Page, app: 'store' | 'forum', status: 'active' | 'ended') =>
  inspector.locator(`[data-testid="session-row"][data-app="${app}"][data-status="${status}"]`);

/** The jar the inspector rebuilt equals the browser's own, for each of our origins (name, value, flags). */
async function expectJarsMatch(context: BrowserContext, origins: Array<'store' | 'forum' | 'login'>) {
  const state = await ls.inspector.state<InspectorState>();
  for (const origin of origins) {
    // Every cookie of the origin, whatever its path (the hosted form's token lives on /oauth2).
    const host = new URL(ls.app.urls[origin]).hostname;
    const real = (await context.cookies()).filter((c) => c.domain === host).map((c) => ({ name: c.name, value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite, hostOnly: !c.domain.startsWith('.') }));
    // Each test has a fresh Playwright context, a different browser than the earlier test's: what the observed jar
    // still holds from that one is labelled "from before Reset", and is not this browser's.
    const observed = (state.cookies[origin] ?? []).filter((c) => !c.deleted && !c.beforeReset).map((c) => ({ name: c.name, value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite, hostOnly: c.hostOnly }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(observed.sort(byName), `${origin} jar`).toEqual(real.sort(byName));
    expect(real.length, `${origin} has cookies`).toBeGreaterThan(0);
  }
}

async function attachScreenshot(inspector: Page, testInfo: TestInfo, name: string) {
  mkdirSync('test-results', { recursive: true });
  const path = `test-results/${name}.png`;
  await inspector.screenshot({ path, fullPage: false });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function runAttack(inspector: Page, title: string) {
  await inspector.getByRole('button', { name: title, exact: true }).click();
  await expect(inspector.getByTestId('attack-outcome')).toContainText(title);
}

test('native-refresh: the diagram, cookies and sessions follow the walk live', async ({ context }, testInfo) => {
  const { inspector, problems } = await openInspector(context);
  await expect(diagram(inspector).locator('[data-step]')).toHaveCount(44);
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(0);

  const page = await context.newPage();
  const pageProblems = watchConsole(page);
  await page.goto(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await expectSeen(inspector, range(1, 5));
  await expectUnseen(inspector, [6]);

  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  await expectSeen(inspector, range(6, 13));
  await expectUnseen(inspector, [14]);
  await expect(cookieRow(inspector, 'store', 'store_session')).toHaveAttribute('data-httponly', 'true');
  await expect(cookieRow(inspector, 'store', 'store_refresh_token')).toHaveAttribute('data-httponly', 'true');
  await expect(inspector.getByTestId('cookie-panel')).toContainText('as observed');
  await expect(sessionRows(inspector, 'store', 'active')).toHaveCount(1);
  await expect(sessionRows(inspector, 'store', 'active')).toContainText('demo@example.com');

  // "A while later", clicked in the inspector: the session ends by idle timeout; the next cart click renews it.
  await inspector.getByRole('button', { name: 'A while later', exact: true }).click();
  await expect(sessionRows(inspector, 'store', 'ended')).toHaveAttribute('data-end-reason', 'expired-idle');
  await expect(sessionRows(inspector, 'store', 'active')).toHaveCount(0);
  await apps.cartButton(page).click();
  await expectSeen(inspector, range(14, 18));
  await expect(sessionRows(inspector, 'store', 'active')).toHaveCount(1);
  await expect(arrow(inspector, 18)).toHaveAttribute('data-latest', 'true');
  await attachScreenshot(inspector, testInfo, 'inspector-mid-walk');

  // Later still: the refresh token is dead too; 401 and the form again.
  await inspector.getByRole('button', { name: 'Later still', exact: true }).click();
  await expect(inspector.locator('[data-testid="refresh-token-row"][data-status="expired"]')).toHaveCount(1);
  await apps.cartButton(page).click();
  await expect(page.getByText('Your session ended.')).toBeVisible();
  await expectSeen(inspector, range(19, 23));
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();

  // The forum: its own login, no SSO.
  await page.goto(`${ls.app.urls.forum}/`);
  await expect(apps.loginForm(page)).toBeVisible();
  await apps.logInWithForm(page);
  await expect(apps.posts(page)).toBeVisible();
  await expectSeen(inspector, range(24, 36));
  await expect(cookieRow(inspector, 'forum', 'forum_session')).toHaveAttribute('data-httponly', 'true');
  await expect(sessionRows(inspector, 'forum', 'active')).toHaveCount(1);

  // The attacks, one button each, named by their titles.
  const { attacks } = await ls.inspector.state<InspectorState & { attacks: Array<{ id: string; title: string }> }>();
  expect(attacks.map((a) => a.id)).toEqual(['stolen-refresh-token', 'stolen-session-cookie']);
  await runAttack(inspector, attacks[0]!.title);
  await expectSeen(inspector, range(37, 41));
  await runAttack(inspector, attacks[1]!.title);
  await expectSeen(inspector, range(42, 44));

  await expect.poll(() => seenOrder(inspector)).toEqual(range(1, 44));
  await expectJarsMatch(context, ['store', 'forum']);
  expect(problems).toEqual([]);
  expect(pageProblems).toEqual([]);
});

test('implicit-session: picked in the inspector, walked, then inspected', async ({ context }, testInfo) => {
  const { inspector, problems } = await openInspector(context);

  // Switching asks first, then starts everything over.
  const { workflows } = await ls.inspector.state<InspectorState & { workflows: Array<{ id: string; title: string }> }>();
  const implicit = workflows.find((w) => w.id === 'implicit-session')!;
  await inspector.getByLabel('Workflow', { exact: true }).selectOption({ label: implicit.title });
  await expect(inspector.getByRole('alertdialog')).toContainText(implicit.title);
  await inspector.getByRole('button', { name: 'Switch workflow' }).click();
  // The seed's 45 arrows, then the added attacks' own (A1…).
  await expect(diagram(inspector).locator('[data-step]:not([data-step^="A"])')).toHaveCount(45);
  await expect(diagram(inspector).locator('[data-step^="A"]')).toHaveCount(8);
  await expect(diagram(inspector).locator('[data-seen="true"]')).toHaveCount(0);

  const page = await context.newPage();
  const pageProblems = watchConsole(page);
  await page.goto(`${ls.app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(apps.cart(page)).toBeVisible();
  await expectSeen(inspector, range(1, 16));
  await expectUnseen(inspector, [17]);
  await expect(cookieRow(inspector, 'store', 'store_session')).toHaveAttribute('data-httponly', 'true');
  await expect(cookieRow(inspector, 'login', 'fusionauth.sso')).toHaveAttribute('data-httponly', 'true');
  await expect(inspector.locator('[data-testid="sso-row"][data-status="active"]')).toHaveCount(1);
  await expect(sessionRows(inspector, 'store', 'active')).toHaveCount(1);

  await inspector.getByRole('button', { name: 'A while later', exact: true }).click();
  await expect(sessionRows(inspector, 'store', 'ended')).toHaveAttribute('data-end-reason', 'expired-idle');
  await apps.cartButton(page).click();
  await expectSeen(inspector, range(17, 28));
  await expect(sessionRows(inspector, 'store', 'active')).toHaveCount(1);
  await attachScreenshot(inspector, testInfo, 'inspector-mid-walk-implicit');

  await page.goto(`${ls.app.urls.forum}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(apps.posts(page)).toBeVisible();
  await expectSeen(inspector, range(29, 42));

  const { attacks } = await ls.inspector.state<InspectorState & { attacks: Array<{ id: string; title: string }> }>();
  await runAttack(inspector, attacks.find((a) => a.id === 'stolen-session-cookie')!.title);
  await expectSeen(inspector, range(43, 45));
  await expect.poll(() => seenOrder(inspector)).toEqual(range(1, 45));
  await expectJarsMatch(context, ['store', 'forum', 'login']);

  // Clicking an arrow opens the raw exchange: step 8 is the redirect carrying the JWT in its fragment.
  await arrow(inspector, 8).click();
  const detail = inspector.getByRole('region', { name: 'Exchange detail' });
  await expect(detail).toContainText('POST');
  await expect(detail).toContainText('#access_token=eyJ');
  await expect(detail).toContainText('fusionauth.sso=');
  await expect(detail).toContainText('Decoded JWTs');
  await expect(detail).toContainText('demo@example.com');

  // Presenter mode: a plain caption for the step, and secrets masked.
  await inspector.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(inspector.getByTestId('presenter-caption')).toContainText('Back to the app’s redirect URI');
  await expect(detail).not.toContainText('#access_token=eyJ');
  const session = (await context.cookies(ls.app.urls.store)).find((c) => c.name === 'store_session')!;
  await expect(inspector.getByTestId('cookie-panel')).not.toContainText(session.value.slice(0, 12));
  await inspector.getByRole('button', { name: 'Presenter mode' }).click();

  // Arrow keys step through the trace; the diagram highlights the selected event's steps.
  await inspector.getByRole('button', { name: 'Close detail' }).click();
  const selected = inspector.locator('[data-event-id]:has(.row.selected)');
  await inspector.keyboard.press('ArrowDown');
  await expect(selected).toHaveCount(1);
  const first = await selected.getAttribute('data-event-id');
  await inspector.keyboard.press('ArrowDown');
  await expect(selected).not.toHaveAttribute('data-event-id', first!);
  for (let i = 0; i < 8 && (await selected.locator('.chip').count()) === 0; i++) await inspector.keyboard.press('ArrowDown');
  const chips = await selected.locator('.chip').allTextContents();
  expect(chips.length).toBeGreaterThan(0);
  await expect(diagram(inspector).locator('.step.highlighted')).toHaveCount(chips.length);
  for (const n of chips) await expect(arrow(inspector, Number(n))).toHaveClass(/highlighted/);
  const lit = await selected.getAttribute('data-event-id');
  await inspector.keyboard.press('ArrowUp');
  await expect(selected).not.toHaveAttribute('data-event-id', lit!);

  // Exports: the HAR (masked unless asked) and the diagram as SVG.
  const har = inspector.getByRole('link', { name: 'Export HAR' });
  // Fetched by the page itself: only the browser resolves *.localhost.
  const fetchHar = async () => inspector.evaluate(async (href) => (await fetch(href)).text(), (await har.getAttribute('href'))!);
  const masked = JSON.parse(await fetchHar()) as { log: { version: string; entries: unknown[] } };
  expect(masked.log.version).toBe('1.2');
  expect(masked.log.entries.length).toBeGreaterThan(20);
  expect(JSON.stringify(masked)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  await inspector.getByLabel('include secrets').check();
  expect(await fetchHar()).toMatch(/access_token=eyJ[\w-]+\.eyJ/);

  const download = inspector.waitForEvent('download');
  await inspector.getByRole('button', { name: 'Export diagram (SVG)' }).click();
  const svgPath = testInfo.outputPath('diagram.svg');
  await (await download).saveAs(svgPath);
  const { readFileSync } = await import('node:fs');
  const svg = readFileSync(svgPath, 'utf8');
  expect(svg).toMatch(/^<\?xml/);
  expect(svg).toContain('data-step="45"');
  expect(svg).toContain('Identity');

  // Expire now, per row: one session, then the SSO session.
  await inspector.getByRole('button', { name: /^Expire now: forum session \S+$/ }).click();
  await expect(sessionRows(inspector, 'forum', 'ended')).toHaveAttribute('data-end-reason', 'forced');
  await inspector.getByRole('button', { name: 'Expire now: the SSO session' }).click();
  await expect(inspector.locator('[data-testid="sso-row"][data-status="active"]')).toHaveCount(0);

  expect(problems).toEqual([]);
  expect(pageProblems).toEqual([]);
});
