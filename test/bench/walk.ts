import { Browser, type HttpResponse } from '../support/http.js';

/** Where a running Loginscope answers, as read from its ready line. */
export interface Target {
  port: number;
  token: string;
}

export const urlsOf = (port: number) => ({
  store: `http://store.localhost:${port}`,
  forum: `http://forum.localhost:${port}`,
  inspector: `http://inspector.localhost:${port}`,
});

export const DEMO = { email: 'demo@example.com', password: 'demo-password' };
/** The CLI's defaults (backend/config.ts): the walk moves the clock past them. */
const IDLE_SECONDS = 600;
const REFRESH_MINUTES = 60;

/** The inspector API as a script drives it, with the launch token. */
export class Inspector {
  private readonly http = new Browser();
  constructor(private readonly t: Target) {}
  call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<HttpResponse> {
    return this.http.fetch(`${urlsOf(this.t.port).inspector}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.t.token}` },
      ...(json !== undefined && { json }),
    });
  }
}

function expectStatus(what: string, res: HttpResponse, status: number): void {
  if (res.status !== status) throw new Error(`walk: ${what} answered ${res.status}, expected ${status}: ${res.text.slice(0, 200)}`);
}

/**
 * The full native-refresh walk over HTTP, in the order of test/integration/native-refresh-walk.test.ts:
 * every seed step, expiry by the inspector's clock API, both attacks. Statuses are checked so a broken walk
 * is reported as broken rather than timed. Returns the wall time of the walk in ms.
 */
export async function nativeRefreshWalk(t: Target): Promise<number> {
  const browser = new Browser();
  const inspector = new Inspector(t);
  const { store: s, forum: f } = urlsOf(t.port);
  const started = performance.now();

  expectStatus('store page', await browser.fetch(`${s}/`), 200);
  expectStatus('store /api/me', await browser.fetch(`${s}/api/me`), 404);
  expectStatus('store ui-event', await browser.fetch(`${s}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('bad login', await browser.fetch(`${s}/api/login`, { json: { email: DEMO.email, password: 'wrong' } }), 401);
  expectStatus('login', await browser.fetch(`${s}/api/login`, { json: DEMO }), 200);
  expectStatus('cart', await browser.fetch(`${s}/api/cart`), 200);

  expectStatus('advance idle', await inspector.call('POST', '/clock/advance', { seconds: IDLE_SECONDS + 1 }), 200);
  expectStatus('cart after refresh', await browser.fetch(`${s}/api/cart`), 200);

  expectStatus('advance refresh', await inspector.call('POST', '/clock/advance', { seconds: REFRESH_MINUTES * 60 + 1 }), 200);
  expectStatus('dead cart', await browser.fetch(`${s}/api/cart`), 401);
  expectStatus('store ui-event again', await browser.fetch(`${s}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('login again', await browser.fetch(`${s}/api/login`, { json: DEMO }), 200);

  expectStatus('forum page', await browser.fetch(`${f}/`), 200);
  expectStatus('forum /api/me', await browser.fetch(`${f}/api/me`), 404);
  expectStatus('forum ui-event', await browser.fetch(`${f}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('forum login', await browser.fetch(`${f}/api/login`, { json: DEMO }), 200);
  expectStatus('forum posts', await browser.fetch(`${f}/api/posts`), 200);

  expectStatus('stolen refresh token', await inspector.call('POST', '/attacks/stolen-refresh-token'), 200);
  expectStatus('stolen session cookie', await inspector.call('POST', '/attacks/stolen-session-cookie'), 200);
  const elapsed = performance.now() - started;

  // Outside the timing: the walk is only counted if the inspector saw every step.
  const state = (await inspector.call('GET', '/state')).json<{ steps: Array<{ n: number; seen: boolean }> }>();
  const unseen = state.steps.filter((st) => !st.seen).map((st) => st.n);
  if (unseen.length) throw new Error(`walk: steps never seen: ${unseen.join(', ')}`);
  return elapsed;
}
