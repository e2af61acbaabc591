import { expect, test, type Page, type Request, type Route } from '@playwright/test';
import type { CartResponse, Post, Product, User, WorkflowId, WorkflowInfo } from '../../renderer/shared/api.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

/*
 * The real built pages, served by the real server, against a fake application backend (`page.route` on /api/*):
 * these tests pin the pages' side of the API contract while the backend is built alongside.
 */

const user: User = { id: 'u-1', email: 'demo@example.com', firstName: 'Demo', lastName: 'User', fullName: 'Demo User' };
const products: Product[] = [
  { id: 'p-1', name: 'Desk Plant', description: 'Green and low-maintenance.', priceCents: 1800, imageEmoji: '🪴' },
  { id: 'p-2', name: 'Coffee Mug', description: 'Holds a lot of coffee.', priceCents: 1250, imageEmoji: '☕' },
];
const cart: CartResponse = {
  items: [{ productId: 'p-2', name: 'Coffee Mug', priceCents: 1250, quantity: 2, imageEmoji: '☕' }],
  totalCents: 2500,
};
const posts: Post[] = [
  { id: 'f-1', title: 'Which mug keeps coffee warm longest?', author: 'Ada Lovelace', body: 'Asking for a friend.', createdAt: Date.now() - 3 * 3600_000, replies: 4 },
  { id: 'f-2', title: 'Plant care thread', author: 'Grace Hopper', body: 'Post your desk plants here.', createdAt: Date.now() - 60_000, replies: 1 },
];
const BAD_PASSWORD = 'That email and password do not match an account.';
const GOOD_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';

interface Seen {
  method: string;
  path: string;
  body: unknown;
  /** The page's address when the call went out (shows the fragment is still there during the start-session call). */
  pageUrl: string;
}

/** A stand-in for one app's backend: a session flag, the contract's answers, and a log of what the page asked. */
class FakeBackend {
  session = false;
  /** Simulates a backend whose sessions never hold, to exercise the loop guard. */
  protectedAlways401 = false;
  readonly seen: Seen[] = [];

  constructor(
    private readonly page: Page,
    private readonly origin: string,
    private readonly workflow: WorkflowInfo,
  ) {}

  async install() {
    await this.page.route(`${this.origin}/api/**`, (route) => this.answer(route));
  }

  calls(method: string, path: string) {
    return this.seen.filter((s) => s.method === method && s.path === path);
  }

  /** The views the page told the trace it rendered, in order. */
  views() {
    return this.calls('POST', '/api/ui-events').map((s) => (s.body as { view: string }).view);
  }

  private async answer(route: Route) {
    const request: Request = route.request();
    const path = new URL(request.url()).pathname;
    const method = request.method();
    this.seen.push({ method, path, body: request.postDataJSON() as unknown, pageUrl: this.page.url() });
    const json = (status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });
    const body = (request.postDataJSON() ?? {}) as Record<string, string>;

    switch (`${method} ${path}`) {
      case 'GET /api/workflow':
        return json(200, this.workflow);
      case 'GET /api/me':
        return this.session ? json(200, { user }) : error(404, 'not_logged_in', 'No session.');
      case 'POST /api/login':
        if (body.email === user.email && body.password === 'demo-password') return this.logIn(json);
        return error(401, 'invalid_credentials', BAD_PASSWORD);
      case 'POST /api/session':
        return body.token === GOOD_TOKEN ? this.logIn(json) : error(401, 'invalid_token', 'The token was not accepted.');
      case 'GET /api/products':
        return json(200, { products });
      case 'GET /api/cart':
        return this.session && !this.protectedAlways401 ? json(200, cart) : error(401, 'session_expired', 'Please log in again.');
      case 'GET /api/posts':
        return this.session && !this.protectedAlways401 ? json(200, { posts }) : error(401, 'session_expired', 'Please log in again.');
      case 'POST /api/ui-events':
        return route.fulfill({ status: 204 });
      case 'POST /api/logout':
        this.session = false;
        return route.fulfill({ status: 204 });
      default:
        return error(404, 'not_found', 'No such API.');
    }
  }

  private logIn(json: (status: number, body: unknown) => Promise<void>) {
    this.session = true;
    return json(200, { user });
  }
}

let app: TestLoginscope;
test.beforeAll(async () => {
  app = await startTestLoginscope();
});
test.afterAll(async () => {
  await app?.stop();
});

// Chromium logs every 4xx fetch as "Failed to load resource"; 401 and 404 are the seeds' answers, not faults.
const EXPECTED_STATUS_LOG = /^Failed to load resource: the server responded with a status of 40[14]/;
let problems: string[] = [];
test.beforeEach(({ page }) => {
  problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !EXPECTED_STATUS_LOG.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
});
test.afterEach(() => {
  expect(problems, 'no console errors or uncaught exceptions').toEqual([]);
});

function workflowInfo(id: WorkflowId, appName: 'store' | 'forum'): WorkflowInfo {
  if (id === 'native-refresh') return { id, title: 'Native login with sessions and refresh tokens' };
  return {
    id,
    title: 'OAuth implicit grant into a session',
    authorize: { url: `${app.urls.login}/oauth2/authorize`, clientId: `${appName}-client-id`, redirectUri: `${app.urls[appName]}/oauth-redirect` },
  };
}

async function fakeBackend(page: Page, id: WorkflowId, appName: 'store' | 'forum' = 'store') {
  const backend = new FakeBackend(page, app.urls[appName], workflowInfo(id, appName));
  await backend.install();
  return backend;
}

async function logInWithForm(page: Page, password = 'demo-password') {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

test.describe('store, native-refresh', () => {
  test('logs in with the form and shows the cart', async ({ page }) => {
    const backend = await fakeBackend(page, 'native-refresh');
    await page.goto(`${app.urls.store}/`);
    await expect(page.getByRole('heading', { name: 'Desk Plant' })).toBeVisible();
    await expect(page.getByText(app.urls.store, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);

    await logInWithForm(page);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    const cartRegion = page.getByRole('region', { name: 'Your cart' });
    await expect(cartRegion).toContainText('Coffee Mug');
    await expect(cartRegion).toContainText('Total$25.00');
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    expect(backend.calls('POST', '/api/login').map((c) => c.body)).toEqual([{ email: user.email, password: 'demo-password' }]);
    // The seed's order: am I logged in? (404) → the form shows → credentials → cart (products are public, on the side).
    const sessionCalls = () => backend.seen.map((s) => `${s.method} ${s.path}${s.path === '/api/ui-events' ? ` ${(s.body as { view: string }).view}` : ''}`);
    await expect
      .poll(() => sessionCalls().filter((call) => call !== 'GET /api/products'))
      .toEqual(['GET /api/workflow', 'GET /api/me', 'POST /api/ui-events login-form', 'POST /api/login', 'GET /api/cart', 'POST /api/ui-events cart']);
  });

  test("shows the server's message for a bad password", async ({ page }) => {
    await fakeBackend(page, 'native-refresh');
    await page.goto(`${app.urls.store}/`);
    await logInWithForm(page, 'wrong-password');
    await expect(page.getByRole('alert')).toHaveText(BAD_PASSWORD);
    await expect(page.getByLabel('Password')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toHaveCount(0);
  });

  test('goes straight to the cart when a session already exists', async ({ page }) => {
    const backend = await fakeBackend(page, 'native-refresh');
    backend.session = true;
    await page.goto(`${app.urls.store}/`);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveCount(0);
  });

  test('re-fetches the cart on "Cart", and a 401 brings back the form with a session-ended note', async ({ page }) => {
    const backend = await fakeBackend(page, 'native-refresh');
    await page.goto(`${app.urls.store}/`);
    await logInWithForm(page);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();

    await page.getByRole('button', { name: 'Cart', exact: true }).click();
    await expect.poll(() => backend.calls('GET', '/api/cart').length).toBe(2);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();

    backend.session = false; // the server-side session and refresh token have both expired
    await page.getByRole('button', { name: 'Cart', exact: true }).click();
    await expect(page.getByText('Your session ended.')).toBeVisible();
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);

    await logInWithForm(page);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await expect(page.getByText('Your session ended.')).toHaveCount(0);
    await expect.poll(() => backend.views()).toEqual(['login-form', 'cart', 'cart', 'session-ended', 'login-form', 'cart']);
  });

  test('logs out', async ({ page }) => {
    const backend = await fakeBackend(page, 'native-refresh');
    backend.session = true;
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
    expect(backend.calls('POST', '/api/logout')).toHaveLength(1);
  });

  test('shows a start-up failure with a retry', async ({ page }) => {
    await fakeBackend(page, 'native-refresh');
    let fail = true;
    // Registered after the fake backend, so it is asked first (Playwright tries the newest route first).
    await page.route(`${app.urls.store}/api/workflow`, (route) =>
      fail
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'down', message: 'Backend warming up.' } }) })
        : route.fallback(),
    );
    await page.goto(`${app.urls.store}/`);
    await expect(page.getByRole('alert')).toContainText('Backend warming up.');
    fail = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByLabel('Email')).toBeVisible();
    problems = problems.filter((p) => !p.includes('status of 503')); // Chromium logs the deliberate 503
  });
});

test.describe('store, implicit-session', () => {
  /** Stands in for the identity server: records each authorize request and answers as its SSO session would. */
  async function fakeIdentityServer(page: Page, answer: (params: URLSearchParams) => string) {
    const requests: URLSearchParams[] = [];
    await page.route(`${app.urls.login}/oauth2/authorize**`, (route) => {
      const params = new URL(route.request().url()).searchParams;
      requests.push(params);
      return route.fulfill({ status: 302, headers: { location: answer(params) } });
    });
    return requests;
  }
  const tokenAnswer = (params: URLSearchParams, state = params.get('state') ?? '') =>
    `${params.get('redirect_uri')}#access_token=${GOOD_TOKEN}&token_type=Bearer&expires_in=3600&state=${state}`;

  test('the button goes to authorize with the right parameters', async ({ page }) => {
    await fakeBackend(page, 'implicit-session');
    const requests = await fakeIdentityServer(page, tokenAnswer);
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    await expect.poll(() => requests.length).toBe(1);
    const params = requests[0]!;
    expect(params.get('client_id')).toBe('store-client-id');
    expect(params.get('redirect_uri')).toBe(`${app.urls.store}/oauth-redirect`);
    expect(params.get('response_type')).toBe('token');
    expect(params.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('nonce')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('nonce')).not.toBe(params.get('state'));
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  });

  test('at the redirect URI: posts the token from the fragment, then scrubs it from the URL', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    await fakeIdentityServer(page, tokenAnswer);
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();

    const [startSession] = backend.calls('POST', '/api/session');
    expect(startSession?.body).toEqual({ token: GOOD_TOKEN });
    expect(startSession?.pageUrl).toContain(`/oauth-redirect#access_token=${GOOD_TOKEN}`);
    expect(page.url()).toBe(`${app.urls.store}/`);
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    const order = backend.seen.map((s) => `${s.method} ${s.path}`);
    expect(order.indexOf('POST /api/session')).toBeLessThan(order.indexOf('GET /api/cart'));
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  });

  test('refuses an answer whose state this tab did not send', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    await fakeIdentityServer(page, (params) => tokenAnswer(params, 'forged-state'));
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    await expect(page.getByRole('alert')).toContainText('state does not match');
    expect(backend.calls('POST', '/api/session')).toHaveLength(0);
    expect(page.url()).toBe(`${app.urls.store}/`);
    await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
  });

  test("shows the identity server's error description", async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    await page.goto(`${app.urls.store}/oauth-redirect#error=access_denied&error_description=The+user+cancelled+the+login&state=x`);
    await expect(page.getByRole('alert')).toContainText('The user cancelled the login');
    expect(backend.calls('POST', '/api/session')).toHaveLength(0);
    expect(page.url()).toBe(`${app.urls.store}/`);
  });

  test('after a 401 goes back to authorize by itself and returns with a new session', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    const requests = await fakeIdentityServer(page, tokenAnswer);
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();

    backend.session = false;
    await page.getByRole('button', { name: 'Cart', exact: true }).click();
    await expect.poll(() => backend.calls('POST', '/api/session').length).toBe(2);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    expect(requests).toHaveLength(2);
    expect(page.url()).toBe(`${app.urls.store}/`);
  });

  test('coming back from the identity server with Back does not leave the page waiting', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    backend.session = true;
    await page.route(`${app.urls.login}/oauth2/authorize**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Identity server</title><h1>Log in</h1>' }),
    );
    await page.goto(`${app.urls.store}/`);
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    backend.session = false;
    await page.getByRole('button', { name: 'Cart', exact: true }).click();
    await page.waitForURL(`${app.urls.login}/oauth2/authorize**`);
    await page.goBack();
    await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
  });

  test('the loop guard stops after one automatic trip', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session');
    const requests = await fakeIdentityServer(page, tokenAnswer);
    backend.protectedAlways401 = true;
    await page.goto(`${app.urls.store}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    // Login → 401 → one automatic trip → 401 again → stop and ask the user.
    await expect(page.getByText('Your session ended.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
    expect(requests).toHaveLength(2);
  });
});

test.describe('forum', () => {
  test('native login shows the posts, with author, time and replies; refresh re-fetches', async ({ page }) => {
    const backend = await fakeBackend(page, 'native-refresh', 'forum');
    await page.goto(`${app.urls.forum}/`);
    await expect(page.getByText(app.urls.forum, { exact: true })).toBeVisible();
    await logInWithForm(page);
    await expect(page.getByRole('heading', { name: 'Forum posts' })).toBeVisible();
    const first = page.getByRole('article').filter({ hasText: 'Which mug keeps coffee warm longest?' });
    await expect(first).toContainText('Ada Lovelace');
    await expect(first).toContainText('3 hours ago');
    await expect(first).toContainText('4 replies');

    await page.getByRole('button', { name: 'Refresh posts' }).click();
    await expect.poll(() => backend.calls('GET', '/api/posts').length).toBe(2);

    backend.session = false;
    await page.getByRole('button', { name: 'Refresh posts' }).click();
    await expect(page.getByText('Your session ended.')).toBeVisible();
    await expect(page.getByLabel('Email')).toBeVisible();
  });

  test('implicit login through the identity server, then log out', async ({ page }) => {
    const backend = await fakeBackend(page, 'implicit-session', 'forum');
    await page.route(`${app.urls.login}/oauth2/authorize**`, (route) => {
      const params = new URL(route.request().url()).searchParams;
      expect(params.get('client_id')).toBe('forum-client-id');
      return route.fulfill({ status: 302, headers: { location: `${params.get('redirect_uri')}#access_token=${GOOD_TOKEN}&state=${params.get('state')}` } });
    });
    await page.goto(`${app.urls.forum}/`);
    await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
    await expect(page.getByRole('heading', { name: 'Forum posts' })).toBeVisible();
    expect(page.url()).toBe(`${app.urls.forum}/`);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('button', { name: 'Log in with FusionAuth' })).toBeVisible();
    expect(backend.calls('POST', '/api/logout')).toHaveLength(1);
  });
});
