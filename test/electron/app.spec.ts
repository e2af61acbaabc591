/**
 * The desktop app driven through Playwright's `_electron`. Needs an Electron binary and a display
 * (`xvfb-run -a npx playwright test --project=electron` on a headless Linux); without them every test skips with one line.
 *
 * Selectors marked CONTRACT (inspector) are what the inspector page promises this test; the rest are the outside
 * contract in design.md (accessible names, inspector API) and the toolbar page in renderer/chrome/.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../../backend/electron-binary.js';

const binary = findElectronBinary();
const root = path.resolve(import.meta.dirname, '../..');
const DEMO_USER = { email: 'demo@example.com', password: 'demo-password' };
const BROWSER_PARTITION = 'persist:loginscope-browser';
const ATTACKER_PARTITION = 'persist:loginscope-attacker';

test.describe.configure({ mode: 'serial' });
test.skip(!binary.path, `Electron tests skipped: ${binary.reason}`);
// The list reporter does not print skip reasons; this is the one line that says why.
if (!binary.path && process.env.TEST_WORKER_INDEX === undefined) console.log(`Electron tests skipped: ${binary.reason}.`);

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
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  // Inherited from an editor's terminal this would start Electron as plain Node (microsoft/playwright#39008).
  delete env.ELECTRON_RUN_AS_NODE;
  app = await electron.launch({
    executablePath: binary.path!,
    args: [path.join(root, 'out', 'main', 'index.js'), '--port', '0', '--disable-gpu', '--disable-dev-shm-usage'],
    env: { ...env, LOGINSCOPE_DATA_DIR: dataDir, LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' },
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
