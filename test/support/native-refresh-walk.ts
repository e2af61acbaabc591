import { Browser, type HttpResponse } from './http.js';

export const DEMO = { email: 'demo@example.com', password: 'demo-password' };

export interface WalkTarget {
  store: string;
  forum: string;
  /** POST to the inspector API of the Loginscope under test. */
  inspector(path: string, json?: unknown): Promise<HttpResponse>;
  idleSeconds: number;
  refreshMinutes: number;
  /** "Later still": moves every clock that matters past the refresh token (an external identity server has its own). */
  laterStill?(): Promise<void>;
}

function expectStatus(what: string, res: HttpResponse, status: number): HttpResponse {
  if (res.status !== status) throw new Error(`native-refresh walk: ${what} answered ${res.status}, expected ${status}: ${res.text.slice(0, 200)}`);
  return res;
}

/**
 * Every step of the native-refresh seed over real HTTP, as a script: statuses are checked as it goes, and the
 * caller checks the inspector afterwards. test/integration/native-refresh-walk.test.ts spells the same walk out
 * with its assertions; this is for the runs that repeat it (an external identity server, the bench).
 */
export async function walkNativeRefresh(t: WalkTarget, browser = new Browser()): Promise<void> {
  const s = t.store;
  const f = t.forum;
  expectStatus('store page', await browser.fetch(`${s}/`), 200);
  expectStatus('store /api/me', await browser.fetch(`${s}/api/me`), 404);
  expectStatus('store login form shown', await browser.fetch(`${s}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('bad login', await browser.fetch(`${s}/api/login`, { json: { email: DEMO.email, password: 'wrong' } }), 401);
  expectStatus('login', await browser.fetch(`${s}/api/login`, { json: DEMO }), 200);
  expectStatus('cart', await browser.fetch(`${s}/api/cart`), 200);

  expectStatus('a while later', await t.inspector('/clock/advance', { seconds: t.idleSeconds + 1 }), 200);
  expectStatus('cart after refresh', await browser.fetch(`${s}/api/cart`), 200);

  expectStatus('later still', await t.inspector('/clock/advance', { seconds: t.refreshMinutes * 60 + 1 }), 200);
  await t.laterStill?.();
  expectStatus('dead cart', await browser.fetch(`${s}/api/cart`), 401);
  expectStatus('store login form shown again', await browser.fetch(`${s}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('login again', await browser.fetch(`${s}/api/login`, { json: DEMO }), 200);

  expectStatus('forum page', await browser.fetch(`${f}/`), 200);
  expectStatus('forum /api/me', await browser.fetch(`${f}/api/me`), 404);
  expectStatus('forum login form shown', await browser.fetch(`${f}/api/ui-events`, { json: { view: 'login-form' } }), 204);
  expectStatus('forum login', await browser.fetch(`${f}/api/login`, { json: DEMO }), 200);
  expectStatus('forum posts', await browser.fetch(`${f}/api/posts`), 200);

  expectStatus('stolen refresh token', await t.inspector('/attacks/stolen-refresh-token'), 200);
  expectStatus('stolen session cookie', await t.inspector('/attacks/stolen-session-cookie'), 200);
}
