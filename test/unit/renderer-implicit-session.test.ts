import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ANSWERED_STATES_KEPT,
  AUTO_REAUTHORIZE_WINDOW_MS,
  buildAuthorizeUrl,
  buildEndSessionUrl,
  createImplicitSession,
  identityServerProblem,
  judgeRedirect,
  mayAutoReauthorize,
  newAuthorizeRequest,
  parseAnsweredStates,
  parseAttemptTime,
  parseRedirectFragment,
  parseStoredRequest,
  randomToken,
  REDIRECT_PATH,
  rememberAnswered,
  STATE_MISMATCH_MESSAGE,
  stateMatches,
} from '../../renderer/shared/workflows/implicit-session.js';

const authorize = {
  url: 'http://login.localhost:9311/oauth2/authorize',
  clientId: 'store-client',
  redirectUri: 'http://store.localhost:9311/oauth-redirect',
};

describe('authorize URL', () => {
  it('asks for the implicit grant with this app, its redirect URI, state and nonce', () => {
    const url = new URL(buildAuthorizeUrl(authorize, { state: 's-1', nonce: 'n-1' }));
    expect(url.origin + url.pathname).toBe(authorize.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'store-client',
      redirect_uri: 'http://store.localhost:9311/oauth-redirect',
      response_type: 'token',
      state: 's-1',
      nonce: 'n-1',
    });
  });

  it('keeps query parameters the authorize URL already has', () => {
    const url = new URL(buildAuthorizeUrl({ ...authorize, url: `${authorize.url}?tenantId=t1` }, { state: 's', nonce: 'n' }));
    expect(url.searchParams.get('tenantId')).toBe('t1');
    expect(url.searchParams.get('response_type')).toBe('token');
  });
});

describe('random state and nonce', () => {
  it('draws from getRandomValues and encodes hex', () => {
    const source = { getRandomValues: <T extends ArrayBufferView | null>(array: T) => (new Uint8Array(array!.buffer).fill(0xab), array) };
    expect(randomToken(4, source as Pick<Crypto, 'getRandomValues'>)).toBe('abababab');
  });

  it('gives 32 hex characters by default and a different value each time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('makes state and nonce independent', () => {
    const request = newAuthorizeRequest();
    expect(request.state).not.toBe(request.nonce);
  });
});

describe('redirect fragment', () => {
  it('reads the access token and state, with or without the leading #', () => {
    const expected = { kind: 'token', accessToken: 'eyJ.a.b', state: 'abc' };
    expect(parseRedirectFragment('#access_token=eyJ.a.b&token_type=Bearer&expires_in=3600&state=abc')).toEqual(expected);
    expect(parseRedirectFragment('access_token=eyJ.a.b&state=abc')).toEqual(expected);
  });

  it('decodes percent-encoded values', () => {
    expect(parseRedirectFragment('#access_token=a%2Eb&state=x%20y')).toEqual({ kind: 'token', accessToken: 'a.b', state: 'x y' });
  });

  it('reports a token without state as such (the state check refuses it)', () => {
    expect(parseRedirectFragment('#access_token=t')).toEqual({ kind: 'token', accessToken: 't', state: null });
  });

  it('turns an error answer into an error, even next to a token', () => {
    expect(parseRedirectFragment('#error=access_denied&error_description=User+said+no&state=s&access_token=t')).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'User said no',
      state: 's',
    });
  });

  it.each(['', '#', '#state=s', '#access_token=&state=s', '#foo=bar'])('finds nothing in %j', (hash) => {
    expect(parseRedirectFragment(hash)).toEqual({ kind: 'none' });
  });

  it('words the identity server problem from its description, else its code', () => {
    expect(identityServerProblem({ kind: 'error', error: 'access_denied', description: 'Nope', state: null })).toMatch(/Nope$/);
    expect(identityServerProblem({ kind: 'error', error: 'access_denied', description: null, state: null })).toMatch(/access_denied$/);
  });
});

describe('state check', () => {
  it('accepts only an answer carrying the state this tab sent', () => {
    expect(stateMatches('abc', 'abc')).toBe(true);
    expect(stateMatches('abc', 'abd')).toBe(false);
    expect(stateMatches(null, 'abc')).toBe(false);
    expect(stateMatches(undefined, 'abc')).toBe(false);
    expect(stateMatches('abc', null)).toBe(false);
    expect(stateMatches('', '')).toBe(false);
  });

  it('reads the stored request back, refusing anything malformed', () => {
    expect(parseStoredRequest(JSON.stringify({ state: 's', nonce: 'n' }))).toEqual({ state: 's', nonce: 'n' });
    expect(parseStoredRequest(null)).toBeNull();
    expect(parseStoredRequest('not json')).toBeNull();
    expect(parseStoredRequest('"s"')).toBeNull();
    expect(parseStoredRequest('null')).toBeNull();
    expect(parseStoredRequest(JSON.stringify({ state: 's' }))).toBeNull();
    expect(parseStoredRequest(JSON.stringify({ state: 1, nonce: 'n' }))).toBeNull();
  });
});

describe('each answer is used once', () => {
  const token = (state: string | null) => ({ kind: 'token', accessToken: 'jwt', state }) as const;

  it('accepts the answer to the pending request', () => {
    expect(judgeRedirect(token('s1'), 's1', [])).toEqual({ kind: 'accept', accessToken: 'jwt' });
  });

  it('never accepts an answer to a state already used, even with a new token and no pending request', () => {
    expect(judgeRedirect(token('s1'), undefined, ['s1'])).toEqual({ kind: 'replayed' });
    expect(judgeRedirect(token('s1'), 's1', ['s0', 's1'])).toEqual({ kind: 'replayed' });
  });

  it('refuses a token for a state this tab never sent', () => {
    expect(judgeRedirect(token('evil'), 's1', ['s0'])).toEqual({ kind: 'foreign' });
    expect(judgeRedirect(token(null), 's1', [])).toEqual({ kind: 'foreign' });
    expect(judgeRedirect(token('s1'), null, [])).toEqual({ kind: 'foreign' });
  });

  it("passes the identity server's error on, unless it answers a used state", () => {
    const error = { kind: 'error', error: 'access_denied', description: 'No', state: 's1' } as const;
    expect(judgeRedirect(error, 's1', [])).toEqual({ kind: 'identity-error', message: identityServerProblem(error) });
    expect(judgeRedirect(error, undefined, ['s1'])).toEqual({ kind: 'replayed' });
  });

  it('asks the backend when nothing arrived', () => {
    expect(judgeRedirect({ kind: 'none' }, 's1', ['s1'])).toEqual({ kind: 'ask-backend' });
  });

  it('remembers answered states, newest last, without duplicates, and only so many', () => {
    expect(rememberAnswered(['a', 'b'], 'a')).toEqual(['b', 'a']);
    const many = Array.from({ length: ANSWERED_STATES_KEPT }, (_, i) => `s${i}`);
    const kept = rememberAnswered(many, 'new');
    expect(kept).toHaveLength(ANSWERED_STATES_KEPT);
    expect(kept.at(-1)).toBe('new');
    expect(kept).not.toContain('s0');
  });

  it('reads the remembered states back, dropping anything malformed', () => {
    expect(parseAnsweredStates(JSON.stringify(['a', 'b']))).toEqual(['a', 'b']);
    expect(parseAnsweredStates(JSON.stringify(['a', 3, null]))).toEqual(['a']);
    expect(parseAnsweredStates(null)).toEqual([]);
    expect(parseAnsweredStates('{"a":1}')).toEqual([]);
    expect(parseAnsweredStates('not json')).toEqual([]);
  });
});

describe('end-session URL', () => {
  it('names the application and leaves the return to its registered logout URL', () => {
    const url = new URL(buildEndSessionUrl({ url: 'http://login.localhost:9311/oauth2/logout' }, 'store-client'));
    expect(url.origin + url.pathname).toBe('http://login.localhost:9311/oauth2/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'store-client' });
  });
});

describe('loop guard', () => {
  const now = 1_000_000;
  it('allows the first automatic trip', () => expect(mayAutoReauthorize(null, now)).toBe(true));
  it('refuses a second trip right after the first', () => expect(mayAutoReauthorize(now - 1_000, now)).toBe(false));
  it('allows again once the window has passed', () => expect(mayAutoReauthorize(now - AUTO_REAUTHORIZE_WINDOW_MS, now)).toBe(true));
  it('treats a marker from the future as stale', () => expect(mayAutoReauthorize(now + 5_000, now)).toBe(true));
  it('reads the stored marker', () => {
    expect(parseAttemptTime(null)).toBeNull();
    expect(parseAttemptTime('123')).toBe(123);
    expect(parseAttemptTime('soon')).toBeNull();
  });
});

/** Just enough of a browser for the workflow's start-up and 401 handling; `session`: what GET /api/me finds. */
function fakeBrowser(url: string, { session = true } = {}) {
  const storage = new Map<string, string>();
  const calls: string[] = [];
  const location = new URL(url);
  const win = {
    location: {
      get pathname() { return location.pathname; },
      get hash() { return location.hash; },
      assign: vi.fn((to: string) => calls.push(`assign ${to}`)),
    },
    history: { replaceState: vi.fn((_s: unknown, _t: string, to: string) => calls.push(`replaceState ${to}`)) },
  };
  const fetchStub = vi.fn(async (path: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${path}${init?.body ? ` ${String(init.body)}` : ''}`);
    const user = { id: 'u1', email: 'demo@example.com', firstName: 'Demo', lastName: 'User', fullName: 'Demo User' };
    if (path === '/api/me' && !session) return new Response(JSON.stringify({ error: { code: 'not_logged_in', message: 'No session.' } }), { status: 404 });
    return new Response(JSON.stringify({ user }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('window', win);
  vi.stubGlobal('fetch', fetchStub);
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  });
  return { storage, calls, fetchStub };
}

describe('implicit-session in the browser', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('needs the authorize details from the backend', () => {
    expect(() => createImplicitSession({ id: 'implicit-session', title: 'x' })).toThrow(/authorize/);
  });

  it('login stores state and nonce, then leaves for the identity server with them', () => {
    const browser = fakeBrowser('http://store.localhost:9311/');
    const workflow = createImplicitSession({ id: 'implicit-session', title: 'x', authorize });
    expect(workflow.login.kind).toBe('identity-server');
    if (workflow.login.kind !== 'identity-server') return;
    workflow.login.begin();
    const stored = parseStoredRequest([...browser.storage.values()][0] ?? null);
    expect(stored).not.toBeNull();
    const target = new URL(browser.calls[0]!.replace('assign ', ''));
    expect(target.searchParams.get('state')).toBe(stored!.state);
    expect(target.searchParams.get('nonce')).toBe(stored!.nonce);
  });

  const REQUEST = 'loginscope.implicit.request';
  const ANSWERED = 'loginscope.implicit.answeredStates';
  const landing = (fragment: string) => `http://store.localhost:9311${REDIRECT_PATH}#${fragment}`;
  const startUp = () => createImplicitSession({ id: 'implicit-session', title: 'x', authorize }).startUp();

  it('at the redirect URI: posts the token, then scrubs the fragment, and marks the state answered', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-1&state=good'));
    browser.storage.set(REQUEST, JSON.stringify({ state: 'good', nonce: 'n' }));
    const result = await startUp();
    expect(result).toMatchObject({ status: 'logged-in', user: { fullName: 'Demo User' } });
    expect(browser.calls).toEqual(['POST /api/session {"token":"jwt-1"}', 'replaceState /']);
    expect(browser.storage.has(REQUEST)).toBe(false);
    expect(parseAnsweredStates(browser.storage.get(ANSWERED) ?? null)).toEqual(['good']);
  });

  it('the same state again (Back into authorize, a new token): not posted, scrubbed first, the backend says who is in', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-2&state=good'));
    browser.storage.set(ANSWERED, JSON.stringify(['good']));
    const result = await startUp();
    expect(result).toMatchObject({ status: 'logged-in', user: { fullName: 'Demo User' } });
    expect(browser.calls).toEqual(['replaceState /', 'GET /api/me']);
  });

  it('a replayed answer while logged out shows the login, with no warning', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-2&state=good'), { session: false });
    browser.storage.set(ANSWERED, JSON.stringify(['good']));
    expect(await startUp()).toEqual({ status: 'logged-out' });
    expect(browser.calls).toEqual(['replaceState /', 'GET /api/me']);
  });

  it('posts an answer once only, across two landings of the same tab', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-1&state=good'));
    browser.storage.set(REQUEST, JSON.stringify({ state: 'good', nonce: 'n' }));
    await startUp();
    await startUp();
    expect(browser.calls.filter((c) => c.startsWith('POST /api/session'))).toHaveLength(1);
  });

  it('at the redirect URI with a foreign state while logged out: no session call, a clear message, fragment scrubbed', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-1&state=evil'), { session: false });
    browser.storage.set(REQUEST, JSON.stringify({ state: 'good', nonce: 'n' }));
    const result = await startUp();
    expect(result).toEqual({ status: 'logged-out', notice: { kind: 'problem', message: STATE_MISMATCH_MESSAGE } });
    expect(browser.calls).toEqual(['replaceState /', 'GET /api/me']);
    // The login this tab did start can still finish.
    expect(parseStoredRequest(browser.storage.get(REQUEST) ?? null)).toEqual({ state: 'good', nonce: 'n' });
  });

  it('a foreign state while a session exists is refused and the page stays logged in', async () => {
    const browser = fakeBrowser(landing('access_token=jwt-1&state=evil'));
    const result = await startUp();
    expect(result).toMatchObject({ status: 'logged-in' });
    expect(browser.calls).toEqual(['replaceState /', 'GET /api/me']);
  });

  it('elsewhere: just asks /api/me', async () => {
    const browser = fakeBrowser('http://store.localhost:9311/#access_token=jwt-1&state=good');
    await createImplicitSession({ id: 'implicit-session', title: 'x', authorize }).startUp();
    expect(browser.calls).toEqual(['GET /api/me']);
  });

  it('after a 401 goes back to the identity server once, then waits for the user', () => {
    const browser = fakeBrowser('http://store.localhost:9311/');
    const workflow = createImplicitSession({ id: 'implicit-session', title: 'x', authorize });
    expect(workflow.sessionEnded()).toEqual({ status: 'leaving' });
    expect(workflow.sessionEnded()).toEqual({ status: 'logged-out', notice: { kind: 'session-ended' } });
    expect(browser.calls.filter((c) => c.startsWith('assign'))).toHaveLength(1);
    workflow.sessionConfirmed();
    expect(workflow.sessionEnded()).toEqual({ status: 'leaving' });
  });

  it('offers to end the SSO session only when the backend names the end-session endpoint', () => {
    const browser = fakeBrowser('http://store.localhost:9311/');
    expect(createImplicitSession({ id: 'implicit-session', title: 'x', authorize }).endSsoSession).toBeUndefined();
    const workflow = createImplicitSession({ id: 'implicit-session', title: 'x', authorize, endSession: { url: 'http://login.localhost:9311/oauth2/logout' } });
    workflow.endSsoSession!();
    expect(browser.calls).toEqual(['assign http://login.localhost:9311/oauth2/logout?client_id=store-client']);
  });
});
