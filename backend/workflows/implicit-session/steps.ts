import { event, PAGE_STATUSES, pageLabel, request, response } from '../match-builders.js';
import type { Step } from '../types.js';

type App = 'store' | 'forum';
const page = (origin: App) => ({ actor: 'browser', origin, method: 'GET', path: '/' }) as const;
const me = (origin: App) => ({ actor: 'browser', origin, method: 'GET', path: '/api/me', status: 404 }) as const;
const authorizeForm = { actor: 'browser', origin: ['login', 'external'], method: 'GET', path: '/oauth2/authorize', status: 200 } as const;
const authorizePost = { actor: 'browser', origin: ['login', 'external'], method: 'POST', path: '/oauth2/authorize', status: 302 } as const;
const authorizeSso = (app: App) => ({ actor: 'browser', origin: ['login', 'external'], method: 'GET', path: '/oauth2/authorize', status: 302, locationHost: app }) as const;
const redirectPage = (origin: App) => ({ actor: 'browser', origin, method: 'GET', path: '/oauth-redirect' }) as const;
const startSession = (origin: App) => ({ actor: 'browser', origin, method: 'POST', path: '/api/session', status: 200 }) as const;
const inStartSession = (origin: App) => ({ actor: 'browser', origin, path: '/api/session' }) as const;
const cart = { actor: 'browser', origin: 'store', method: 'GET', path: '/api/cart', sendsCookies: ['_session'] } as const;
const posts = { actor: 'browser', origin: 'forum', method: 'GET', path: '/api/posts', status: 200, sendsCookies: ['_session'] } as const;
const stolenCart = { actor: 'attacker', origin: 'store', method: 'GET', path: '/api/cart', status: 200, attack: 'stolen-session-cookie', sendsCookies: ['_session'] } as const;
/** The extra attacks' own calls, told apart by the attack that made them. */
const attackerCall = (attack: string, method: 'GET' | 'POST', path: string) => ({ actor: 'attacker', origin: 'store', method, path, attack }) as const;

/** The SPA's half of a login through the redirect URI, the same each time it happens (seed 9–13, 21–25, 35–39). */
function landing(first: number, app: App, phase: Step['phase'], again: boolean): Step[] {
  const name = app === 'store' ? 'store' : 'forum';
  return [
    { n: first, from: 'browser', to: app, kind: 'request', phase, label: 'GET /oauth-redirect (no #fragment sent)', match: request(redirectPage(app)), caption: 'The browser follows the redirect; the token after # never leaves the browser.' },
    { n: first + 1, from: app, to: 'browser', kind: 'response', phase, label: '200 (HTML, CSS, JavaScript)', notation: '(app)', match: response({ ...redirectPage(app), status: PAGE_STATUSES }), labelFor: pageLabel('200 (HTML, CSS, JavaScript)'), caption: `The ${name} app starts again and reads the JWT from the address bar.` },
    { n: first + 2, from: 'browser', to: app, kind: 'request', phase, label: 'POST /api/session — start-session API', notation: '(JWT)', match: request(startSession(app)), caption: again ? 'Scripts hold the new JWT for a moment while it is posted to the backend.' : 'The app posts the JWT to its backend; for this moment, scripts on the page can read it.' },
    { n: first + 3, from: app, to: app, kind: 'internal', phase, label: 'Verify JWT, create session (JWT)', match: event('session.created', { system: app, data: { origin: 'start-session' }, within: inStartSession(app) }), caption: 'The backend checks the JWT and keeps it in a new server-side session.' },
    { n: first + 4, from: app, to: 'browser', kind: 'response', phase, label: '200', notation: '[session] HttpOnly', match: response({ ...startSession(app), setsCookie: '_session' }), caption: 'An HttpOnly session cookie comes back; the app removes the token from the URL.' },
  ];
}

/** Reading data with a live session (seed 14–16, 26–28, 40–42, 43–45). */
function use(first: number, app: App, phase: Step['phase'], actor: 'browser' | 'attacker'): Step[] {
  const exchange = app === 'store' ? (actor === 'browser' ? { ...cart, status: 200 } : stolenCart) : posts;
  const what = app === 'store' ? 'cart' : 'posts';
  const from = actor === 'browser' ? 'browser' : 'attacker';
  const within = { actor, origin: app, path: exchange.path, ...(actor === 'attacker' && { attack: 'stolen-session-cookie' }) };
  return [
    { n: first, from, to: app, kind: 'request', phase, label: `GET ${exchange.path}`, notation: actor === 'browser' ? '[session]' : '[stolen session]', match: request(exchange), caption: actor === 'browser' ? `The app asks for the ${what}; the browser adds the session cookie.` : 'An attacker who stole the session cookie replays it.' },
    { n: first + 1, from: app, to: app, kind: 'internal', phase, label: 'Find session, extend its expiry', match: event('session.touched', { system: app, within }), caption: actor === 'browser' ? 'The backend finds the session and extends it.' : 'The backend cannot tell the difference and extends the session.' },
    { n: first + 2, from: app, to: actor === 'browser' ? 'browser' : 'attacker', kind: 'response', phase, label: `200 (${what})`, match: response(exchange), caption: actor === 'browser' ? `The ${what} come${what === 'cart' ? 's' : ''} back.` : 'The attacker reads the user’s cart.' },
  ];
}

/** implicit-session: the seed "SPA OAuth login using the implicit grant, with sessions", step by step. */
export const implicitSessionSteps: readonly Step[] = [
  { n: 1, from: 'browser', to: 'store', kind: 'request', phase: 'initialise', label: 'GET / — load the store app', match: request(page('store')), caption: 'The browser asks the store for its single-page app.' },
  { n: 2, from: 'store', to: 'browser', kind: 'response', phase: 'initialise', label: '200 (HTML, CSS, JavaScript)', notation: '(app)', match: response({ ...page('store'), status: PAGE_STATUSES }), labelFor: pageLabel('200 (HTML, CSS, JavaScript)'), caption: 'The store sends the app’s files.' },
  { n: 3, from: 'browser', to: 'store', kind: 'request', phase: 'initialise', label: 'GET /api/me — logged in?', match: request(me('store')), caption: 'The app starts and asks its backend who the user is.' },
  { n: 4, from: 'store', to: 'browser', kind: 'response', phase: 'initialise', label: '404 not logged in', match: response(me('store')), caption: 'No session: 404.' },
  { n: 5, from: 'browser', to: 'idp', kind: 'request', phase: 'login', label: 'GET /oauth2/authorize', notation: '{response_type=token, client_id, redirect_uri, state}', match: request(authorizeForm), caption: 'The user clicks log in; the browser leaves the app for the identity server, asking for a token directly.' },
  { n: 6, from: 'idp', to: 'browser', kind: 'response', phase: 'login', label: '200 (login page)', match: response(authorizeForm), caption: 'The identity server shows its own login page.' },
  { n: 7, from: 'browser', to: 'idp', kind: 'request', phase: 'login', label: 'POST /oauth2/authorize', notation: '(loginId, password)', match: request(authorizePost), caption: 'The password goes to the identity server only, never to the app.' },
  { n: 8, from: 'idp', to: 'browser', kind: 'response', phase: 'login', label: '302 redirect_uri#access_token=JWT', notation: '[fusionauth.sso] HttpOnly', match: response(authorizePost), caption: 'Back to the app’s redirect URI with the JWT in the #fragment, plus an SSO cookie for the identity server.' },
  ...landing(9, 'store', 'login', false),
  ...use(14, 'store', 'use', 'browser'),
  { n: 17, from: 'browser', to: 'store', kind: 'request', phase: 'expiry', label: 'A while later: GET /api/cart', notation: '[expired session]', match: request({ ...cart, status: 401 }), caption: 'Later, the session has expired; the cookie is still sent.' },
  { n: 18, from: 'store', to: 'browser', kind: 'response', phase: 'expiry', label: '401 not logged in', match: response({ ...cart, status: 401 }), caption: 'The backend finds the session expired and answers 401. No refresh token exists in this workflow.' },
  { n: 19, from: 'browser', to: 'idp', kind: 'request', phase: 'expiry', label: 'GET /oauth2/authorize', notation: '{response_type=token} [fusionauth.sso]', match: request(authorizeSso('store')), caption: 'The app sends the browser back to the identity server, which receives its SSO cookie.' },
  { n: 20, from: 'idp', to: 'browser', kind: 'response', phase: 'expiry', label: '302 redirect_uri#access_token=new JWT (no form)', match: response(authorizeSso('store')), caption: 'The SSO session is alive: straight back with a new JWT, no password.' },
  ...landing(21, 'store', 'expiry', true),
  ...use(26, 'store', 'expiry', 'browser'),
  { n: 29, from: 'browser', to: 'forum', kind: 'request', phase: 'forum', label: 'GET / — load the forum app', match: request(page('forum')), caption: 'The user opens the forum.' },
  { n: 30, from: 'forum', to: 'browser', kind: 'response', phase: 'forum', label: '200 (HTML, CSS, JavaScript)', notation: '(app)', match: response({ ...page('forum'), status: PAGE_STATUSES }), labelFor: pageLabel('200 (HTML, CSS, JavaScript)'), caption: 'The forum sends its app’s files.' },
  { n: 31, from: 'browser', to: 'forum', kind: 'request', phase: 'forum', label: 'GET /api/me — logged in?', match: request(me('forum')), caption: 'The forum app asks its backend who the user is.' },
  { n: 32, from: 'forum', to: 'browser', kind: 'response', phase: 'forum', label: '404 not logged in', match: response(me('forum')), caption: 'No forum session yet.' },
  { n: 33, from: 'browser', to: 'idp', kind: 'request', phase: 'forum', label: 'GET /oauth2/authorize', notation: '{response_type=token} [fusionauth.sso]', match: request(authorizeSso('forum')), caption: 'To the identity server, carrying its SSO cookie.' },
  { n: 34, from: 'idp', to: 'browser', kind: 'response', phase: 'forum', label: '302 redirect_uri#access_token=JWT (no form)', match: response(authorizeSso('forum')), caption: 'Single sign-on: a forum JWT without typing a password.' },
  ...landing(35, 'forum', 'forum', true),
  ...use(40, 'forum', 'forum', 'browser'),
  ...use(43, 'store', 'attack', 'attacker'),
  // Not in the seed: the two attacks this workflow adds. Their arrows come after the seed's, tagged A1…, never reusing its numbers.
  { n: 101, tag: 'A1', from: 'browser', to: 'attacker', kind: 'request', phase: 'attack', label: 'GET /collect — the injected script sends the #fragment', notation: '{fragment=access_token…}', match: request({ actor: 'browser', origin: 'attacker', method: 'GET', path: '/collect' }), caption: 'A compromised script on the page reads the address bar and sends the token to the attacker.' },
  { n: 102, tag: 'A2', from: 'attacker', to: 'store', kind: 'request', phase: 'attack', label: 'POST /api/session — start-session API', notation: '(stolen JWT)', match: request(attackerCall('fragment-theft', 'POST', '/api/session')), caption: 'The attacker posts the stolen JWT to the store’s start-session API.' },
  { n: 103, tag: 'A3', from: 'store', to: 'store', kind: 'internal', phase: 'attack', label: 'Verify JWT, create session — for the attacker', match: event('session.created', { system: 'store', within: { actor: 'attacker', origin: 'store', path: '/api/session', attack: 'fragment-theft' } }), caption: 'The JWT is genuine, so the backend opens a session for whoever sent it.' },
  { n: 104, tag: 'A4', from: 'store', to: 'attacker', kind: 'response', phase: 'attack', label: '200', notation: '[session]', match: response({ ...attackerCall('fragment-theft', 'POST', '/api/session'), setsCookie: '_session' }), caption: 'The attacker now has a session cookie of their own.' },
  { n: 105, tag: 'A5', from: 'attacker', to: 'store', kind: 'request', phase: 'attack', label: 'GET /api/cart', notation: '[session]', match: request({ ...attackerCall('fragment-theft', 'GET', '/api/cart'), status: 200 }), caption: 'With that session the attacker asks for the cart.' },
  { n: 106, tag: 'A6', from: 'store', to: 'attacker', kind: 'response', phase: 'attack', label: '200 (cart)', match: response({ ...attackerCall('fragment-theft', 'GET', '/api/cart'), status: 200 }), caption: 'The attacker reads the user’s cart.' },
  { n: 107, tag: 'A7', from: 'attacker', to: 'store', kind: 'request', phase: 'attack', label: 'POST /api/session — start-session API', notation: '(forum JWT)', match: request(attackerCall('token-injection', 'POST', '/api/session')), caption: 'The attacker posts a JWT the identity server issued for the forum to the store.' },
  {
    n: 108,
    tag: 'A8',
    from: 'store',
    to: 'attacker',
    kind: 'response',
    phase: 'attack',
    label: '401 refused: the JWT is for the forum (aud)',
    match: response(attackerCall('token-injection', 'POST', '/api/session')),
    labelFor: (e) => (e.status === 200 ? '200 — accepted: aud was not checked' : `${e.status} refused: the JWT is for the forum (aud)`),
    caption: 'The audience check sees the token was meant for the forum and refuses it; with the check off, the store accepts it.',
  },
];
