/**
 * The desktop app driven through Playwright's `_electron`. Needs an Electron binary and a display
 * (`xvfb-run -a npx playwright test --project=electron` on a headless Linux); without them every test skips with one line.
 *
 * Selectors marked CONTRACT (inspector) are what the inspector page promises this test; the rest are the outside
 * contract in design.md (accessible names, inspector API) and the toolbar page in renderer/chrome/.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronEnv, electronPath, needsElectron } from './electron-binary.js';

const root = path.resolve(import.meta.dirname, '../..');
const DEMO_USER = { email: 'demo@example.com', password: 'demo-password' };
const BROWSER_PARTITION = 'persist:loginscope-browser';
const ATTACKER_PARTITION = 'persist:loginscope-attacker';

test.describe.configure({ mode: 'serial' });
needsElectron();

let app: ElectronApplication;
let dataDir: string;
let views: { toolbar: Page; inspector: Page; store: Page; forum: Page; attacker: Page };
let token: string;

/** The Page of the view whose URL matches, once it exists (every WebContentsView is a Playwright page). */
async function view(match: (url: URL) => boolean): Promise<Page> {
  let found: Page | undefined;
  await expect
    .poll(() => (found = app.windows().find((page) => URL.canParse(page.url()) && match(new URL(page.url())))), { timeout: 20_000 })
    .toBeTruthy();
  await found!.waitForLoadState();
  return found!;
}

/** The inspector API, called from the inspector page itself (same origin, its CSP allows it). */
async function inspectorApi<T>(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<{ status: number; json: T }> {
  return views.inspector.evaluate(
    async ({ method, apiPath, body, token }) => {
      const res = await fetch(apiPath, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as T };
    },
    { method, apiPath, body, token },
  );
}

async function jar(partition: string) {
  return app.evaluate(({ session }, p) => session.fromPartition(p).cookies.get({}), partition);
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-electron-'));
  app = await electron.launch({
    executablePath: electronPath(),
    // The project folder, as the launcher starts it: Electron reads package.json (the app's name, version, userData).
    args: [root, '--port', '0', '--disable-gpu', '--disable-dev-shm-usage'],
    env: electronEnv({ LOGINSCOPE_DATA_DIR: dataDir, LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' }),
  });
  const isHost = (host: string) => (url: URL) => url.hostname === `${host}.localhost`;
  views = {
    toolbar: await view((url) => isHost('inspector')(url) && url.pathname === '/chrome'),
    inspector: await view((url) => isHost('inspector')(url) && url.pathname !== '/chrome'),
    store: await view(isHost('store')),
    forum: await view(isHost('forum')),
    attacker: await view(isHost('attacker')),
  };
  // design.md: the launcher hands the page its token in the `token` query; the page keeps it in sessionStorage
  // (renderer/inspector/api.ts) and takes it out of the address bar.
  token = (await views.inspector.evaluate(() => sessionStorage.getItem('loginscope.inspector.token'))) ?? '';
  expect(token, 'the inspector view was opened with ?token=').not.toBe('');
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('opens one window titled Loginscope with the browser area and the inspector side by side', async () => {
  const windows = await app.evaluate(({ BaseWindow }) =>
    BaseWindow.getAllWindows().map((window) => ({
      title: window.getTitle(),
      children: window.contentView.children.map((child) => child.getBounds()),
    })),
  );
  expect(windows).toHaveLength(1);
  expect(windows[0]!.title).toBe('Loginscope');
  const [toolbar, sidebar] = await Promise.all([views.toolbar, views.inspector].map((page) => page.evaluate(() => [window.innerWidth, window.innerHeight])));
  expect(toolbar![0]).toBeGreaterThan(0);
  expect(sidebar![1]).toBeGreaterThan(toolbar![1]!);

  await expect(views.toolbar.getByRole('tab', { name: 'Store' })).toHaveAttribute('aria-selected', 'true');
  await expect(views.toolbar.getByRole('tab', { name: 'Forum' })).toBeVisible();
  await expect(views.toolbar.getByRole('tab', { name: 'Attacker' })).toBeVisible();
  await expect(views.toolbar.getByLabel('Address')).toHaveValue(views.store.url());
});

test('store and forum share one browser partition; the attacker has its own', async () => {
  const partitions = await app.evaluate(({ session, webContents }, names) => {
    const [browser, attacker] = names.map((name) => session.fromPartition(name));
    return webContents.getAllWebContents().map((contents) => ({
      host: URL.canParse(contents.getURL()) ? new URL(contents.getURL()).hostname : '',
      browser: contents.session === browser,
      attacker: contents.session === attacker,
    }));
  }, [BROWSER_PARTITION, ATTACKER_PARTITION]);
  const of = (host: string) => partitions.find((p) => p.host === host);
  expect(of('store.localhost')).toMatchObject({ browser: true, attacker: false });
  expect(of('forum.localhost')).toMatchObject({ browser: true, attacker: false });
  expect(of('attacker.localhost')).toMatchObject({ browser: false, attacker: true });
  expect(of('inspector.localhost')).toMatchObject({ browser: false, attacker: false });
});

test('native-refresh: logging in in the store view shows the cart', async () => {
  const store = views.store;
  await store.getByLabel('Email').fill(DEMO_USER.email);
  await store.getByLabel('Password').fill(DEMO_USER.password);
  await store.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(store.getByRole('heading', { name: 'Your cart' })).toBeVisible();
});

test('the cookie panel shows the HttpOnly session cookie from the real jar', async () => {
  const storeHost = new URL(views.store.url()).hostname;
  const real = (await jar(BROWSER_PARTITION)).filter((c) => c.domain === storeHost && c.httpOnly);
  expect(real.length, 'the store set HttpOnly cookies in the real jar').toBeGreaterThan(0);

  // Outside contract: GET /api/state has the jar per origin, here fed from Electron's session.cookies.
  await expect
    .poll(async () => {
      const { json } = await inspectorApi<{ cookies: Record<string, Array<{ name: string; httpOnly: boolean }>> }>('GET', '/api/state');
      return (json.cookies.store ?? []).filter((c) => c.httpOnly).map((c) => c.name).sort();
    })
    .toEqual(real.map((c) => c.name).sort());

  // CONTRACT (inspector): the cookie panel is [data-testid="cookie-panel"] with data-source="electron" when fed by the
  // desktop app; each cookie is a [data-testid="cookie-row"] with data-origin, data-name and data-httponly.
  const panel = views.inspector.getByTestId('cookie-panel');
  await expect(panel).toHaveAttribute('data-source', 'electron');
  for (const cookie of real) {
    const row = panel.locator(`[data-testid="cookie-row"][data-origin="store"][data-name="${cookie.name}"]`);
    await expect(row).toHaveAttribute('data-httponly', 'true');
  }
});

test('stolen refresh token: the attacker tab gets the cart', async () => {
  const { status, json } = await inspectorApi<{ outcome: string; events: unknown[] }>('POST', '/api/attacks/stolen-refresh-token');
  expect(status).toBe(200);
  expect(json.outcome).toBeTruthy();

  // Main puts what was stolen into the attacker's partition and opens the store in the attacker tab.
  await expect(views.toolbar.getByRole('tab', { name: 'Attacker' })).toHaveAttribute('aria-selected', 'true');
  const storeOrigin = new URL(views.store.url()).origin;
  await expect(views.attacker).toHaveURL(`${storeOrigin}/`);
  await expect(views.attacker.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await expect(views.toolbar.getByLabel('Address')).toHaveValue(`${storeOrigin}/`);
  const attackerJar = await jar(ATTACKER_PARTITION);
  expect(attackerJar.every((c) => c.domain === new URL(storeOrigin).hostname), 'the attacker holds only what was stolen from the store').toBe(true);
});

test('is Loginscope, not Electron: its own name and version, Chromium’s profile in <dataDir>/chromium', async () => {
  const identity = await app.evaluate(({ app }) => ({ name: app.getName(), version: app.getVersion(), userData: app.getPath('userData') }));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  expect(identity).toEqual({ name: pkg.name, version: pkg.version, userData: path.join(dataDir, 'chromium') });
});

/** Clicks a menu item as a user would, by its label under a top-level menu. */
async function clickMenu(menu: string, label: string): Promise<void> {
  await app.evaluate(({ Menu }, { menu, label }) => {
    const item = Menu.getApplicationMenu()!.items.find((i) => i.label === menu)!.submenu!.items.find((i) => i.label === label)!;
    // Menu accelerators and clicks run the same handler; a checkbox flips before it (as on a real click).
    if (item.type === 'checkbox') item.checked = !item.checked;
    item.click();
  }, { menu, label });
}

test('View › Reload and Force Reload reload the active tab; Reset demo has a shortcut of its own', async () => {
  await views.toolbar.getByRole('tab', { name: 'Store' }).click();
  for (const label of ['Reload', 'Force Reload']) {
    await views.store.evaluate(() => ((window as unknown as { marker?: number }).marker = 1));
    await clickMenu('View', label);
    await expect.poll(() => views.store.evaluate(() => (window as unknown as { marker?: number }).marker ?? 'reloaded')).toBe('reloaded');
  }
  const accelerators = await app.evaluate(({ Menu }) => {
    const all = (items: Electron.MenuItem[]): Electron.MenuItem[] => items.flatMap((i) => [i, ...(i.submenu ? all(i.submenu.items) : [])]);
    return all(Menu.getApplicationMenu()!.items).flatMap((i) => (i.accelerator ? [{ label: i.label, accelerator: i.accelerator }] : []));
  });
  expect(accelerators.find((a) => a.label === 'Force Reload')!.accelerator).toBe('CmdOrCtrl+Shift+R');
  expect(accelerators.find((a) => a.label === 'Reset demo')!.accelerator).not.toBe('CmdOrCtrl+Shift+R');
  expect(new Set(accelerators.map((a) => a.accelerator)).size).toBe(accelerators.length);
});

test('presenter mode zooms the tabs and the sidebar, not the toolbar, and a tab keeps it on another host', async () => {
  /** Zoom of each view, in the window's order (main/window.ts): store, forum, attacker, toolbar, inspector. */
  const zoom = () =>
    app.evaluate(({ BaseWindow }) =>
      BaseWindow.getAllWindows()[0]!.contentView.children.map((view) => {
        const contents = (view as Electron.WebContentsView).webContents;
        return { mode: contents.getZoomMode(), factor: contents.getZoomFactor() };
      }),
    );
  const isolated = (factor: number) => ({ mode: 'isolated', factor });
  await clickMenu('Demo', 'Presenter mode');
  expect(await zoom()).toEqual([isolated(1.25), isolated(1.25), isolated(1.25), isolated(1), isolated(1.25)]);

  // The forum tab on the store's host (as a tab moves from an app to login.localhost): still zoomed.
  const forumHome = views.forum.url();
  await views.forum.goto(`${new URL(views.store.url()).origin}/`);
  expect((await zoom())[1]).toEqual(isolated(1.25));
  await views.forum.goto(forumHome);
  await clickMenu('Demo', 'Presenter mode');
  expect(await zoom()).toEqual([isolated(1), isolated(1), isolated(1), isolated(1), isolated(1)]);
});

test('the inspector’s copy buttons may write to the clipboard; the apps may not', async () => {
  const clipboardWrite = (page: Page) => page.evaluate(async () => (await navigator.permissions.query({ name: 'clipboard-write' as PermissionName })).state);
  expect(await clipboardWrite(views.inspector)).toBe('granted');
  expect(await clipboardWrite(views.store)).toBe('denied');

  await app.evaluate(({ webContents }) => webContents.getAllWebContents().find((c) => c.getURL().includes('inspector.localhost') && !c.getURL().includes('/chrome'))!.focus());
  await views.inspector.evaluate(() => navigator.clipboard.writeText('copied by the inspector'));
  expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe('copied by the inspector');
});

// Last: it closes the window.
test('closing the window closes every view with it', async () => {
  const open = () => app.evaluate(({ webContents }) => webContents.getAllWebContents().filter((c) => !c.isDestroyed()).length);
  expect(await open()).toBeGreaterThanOrEqual(5);
  await app.evaluate(({ app, BaseWindow }) => {
    // Keep the app running, to see what the closed window left behind.
    app.on('window-all-closed', () => {});
    BaseWindow.getAllWindows()[0]!.close();
  });
  await expect.poll(open).toBe(0);
});
