/**
 * The inputs of test/integration/fuzz.test.ts: every route of every origin as data (read off the backend's routers),
 * a seeded PRNG, and the bad requests generated from both. Nothing here talks to a server: a case is plain data
 * with placeholders ({PORT}, {HOST}, {TOKEN}, {API_KEY}, {COOKIES}) that the runner fills in per server it starts,
 * so one seed always gives the same requests.
 */

export type Origin = 'store' | 'forum' | 'login' | 'inspector' | 'attacker';
export const ORIGINS: readonly Origin[] = ['store', 'forum', 'login', 'inspector', 'attacker'];

/** How a 4xx answer must look, by where it came from (see answerKind). */
export type AnswerKind =
  /** Our one error shape: JSON `{ error: { code, message } }`. */
  | 'api'
  /** The identity server's `/api`: FusionAuth's Errors object `{ fieldErrors, generalErrors }`, an empty body, or ours. */
  | 'fusionauth'
  /** `/oauth2/*`: an OAuth error `{ error, error_description }`, an HTML page, or ours. */
  | 'oauth'
  /** A page route: HTML, or ours. */
  | 'page';

/** Which rules a 4xx answer to this origin and path must follow. Paths are as the origin's app sees them. */
export function answerKind(origin: Origin, path: string): AnswerKind {
  const p = path.toLowerCase();
  if (origin === 'attacker') return 'api';
  if (origin === 'login') {
    if (p === '/api' || p.startsWith('/api/')) return 'fusionauth';
    if (p === '/oauth2' || p.startsWith('/oauth2/')) return 'oauth';
    // Everything else on the identity server that is not a built asset answers our JSON 404.
    return p.startsWith('/assets/') ? 'page' : 'api';
  }
  return p === '/api' || p.startsWith('/api/') ? 'api' : 'page';
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded PRNG
// ---------------------------------------------------------------------------------------------------------------

export interface Rng {
  /** [0, 1) */
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: T[]): T[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p) => next() < p,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------------------------
// The routes, as the backend defines them
// ---------------------------------------------------------------------------------------------------------------

/** The embedded identity server's seed (assets/seed/identity.json): fixed ids, public demo values. */
export const SEED = {
  tenantId: 'd7d09513-a3f5-401c-9685-34ab6c552453',
  storeAppId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
  forumAppId: '8d5b1f3c-2c1e-4f3a-9f0e-6d2a4b7c9e11',
  storeClientSecret: '93qZEgdZK49wJn4_Lo4DX2h35HVOhrcvaQvYdjF2kOM',
  userId: '00000000-0000-0000-0000-111111111111',
  email: 'demo@example.com',
  password: 'demo-password',
} as const;

export interface RouteSpec {
  origin: Origin;
  method: string;
  /** Express path; `:name` segments are filled from `params`. */
  path: string;
  /** What the route reads: a JSON body, a form body, or nothing (query and headers only). */
  body: 'json' | 'form' | 'json-or-form' | 'none';
  /** Fields of the body (or of the query for body 'none'), each with values that get past the first checks. */
  fields?: Record<string, readonly unknown[]>;
  /** Query parameters the route reads besides its body. */
  query?: Record<string, readonly string[]>;
  params?: Record<string, readonly string[]>;
  /** Inspector token or identity-server API key: sent about half of the time. */
  auth?: 'token' | 'apiKey';
  /** Bodies this route's code makes worth trying as they are (JSON text). */
  special?: readonly string[];
}

const APP_IDS = [SEED.storeAppId, SEED.forumAppId] as const;
const REDIRECTS = ['http://store.localhost:{PORT}/oauth-redirect', 'http://forum.localhost:{PORT}/oauth-redirect'];

/** backend/app/app-backend.ts (shared endpoints) + backend/workflows/{native-refresh,implicit-session}/routes.ts. */
function appRoutes(app: 'store' | 'forum'): RouteSpec[] {
  const own: RouteSpec[] =
    app === 'store'
      ? [
          { origin: app, method: 'GET', path: '/api/products', body: 'none' },
          { origin: app, method: 'GET', path: '/api/cart', body: 'none' },
        ]
      : [{ origin: app, method: 'GET', path: '/api/posts', body: 'none' }];
  return [
    { origin: app, method: 'GET', path: '/healthz', body: 'none' },
    { origin: app, method: 'GET', path: '/api/workflow', body: 'none' },
    { origin: app, method: 'GET', path: '/api/me', body: 'none' },
    ...own,
    { origin: app, method: 'POST', path: '/api/logout', body: 'json' },
    { origin: app, method: 'POST', path: '/api/ui-events', body: 'json', fields: { view: ['login-form', 'cart', 'posts', 'session-ended'] } },
    // native-refresh: the native login form's post.
    { origin: app, method: 'POST', path: '/api/login', body: 'json', fields: { email: [SEED.email], password: [SEED.password, 'wrong-password'] } },
    // implicit-session: the start-session API.
    {
      origin: app,
      method: 'POST',
      path: '/api/session',
      body: 'json',
      fields: { token: ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'] },
    },
    { origin: app, method: 'GET', path: '/api/no-such-route', body: 'none' },
    { origin: app, method: 'GET', path: '/vendor/analytics.js', body: 'none' },
    { origin: app, method: 'GET', path: '/', body: 'none' },
    { origin: app, method: 'GET', path: '/oauth-redirect', body: 'none', query: { access_token: ['x.y.z'], state: ['s'] } },
    { origin: app, method: 'GET', path: '/assets/:file', body: 'none', params: { file: ['app.js', 'nope.css'] } },
  ];
}

/** backend/idp/{well-known,api-login,api-jwt,api-user,api-application,api-key,oauth-authorize,oauth-token,oauth-session}.ts */
const LOGIN_ROUTES: RouteSpec[] = [
  { origin: 'login', method: 'GET', path: '/healthz', body: 'none' },
  { origin: 'login', method: 'GET', path: '/.well-known/jwks.json', body: 'none' },
  { origin: 'login', method: 'GET', path: '/.well-known/openid-configuration', body: 'none' },
  {
    origin: 'login',
    method: 'POST',
    path: '/api/login',
    body: 'json-or-form',
    auth: 'apiKey',
    fields: { loginId: [SEED.email], password: [SEED.password, 'nope'], applicationId: [...APP_IDS], noJWT: [false, true] },
  },
  { origin: 'login', method: 'POST', path: '/api/jwt/refresh', body: 'json-or-form', fields: { refreshToken: ['not-a-refresh-token'], timeToLiveInSeconds: [60] } },
  { origin: 'login', method: 'GET', path: '/api/jwt/validate', body: 'none' },
  { origin: 'login', method: 'GET', path: '/api/jwt/refresh/:tokenId', body: 'none', auth: 'apiKey', params: { tokenId: ['00000000-0000-0000-0000-000000000001'] } },
  { origin: 'login', method: 'GET', path: '/api/jwt/refresh', body: 'none', auth: 'apiKey', query: { userId: [SEED.userId] } },
  { origin: 'login', method: 'DELETE', path: '/api/jwt/refresh/:tokenId', body: 'none', auth: 'apiKey', params: { tokenId: ['00000000-0000-0000-0000-000000000001'] } },
  {
    origin: 'login',
    method: 'DELETE',
    path: '/api/jwt/refresh',
    body: 'json-or-form',
    auth: 'apiKey',
    fields: { token: ['not-a-token'], userId: ['00000000-0000-0000-0000-999999999999'], applicationId: ['00000000-0000-0000-0000-999999999999'] },
    query: { token: ['not-a-token'] },
  },
  { origin: 'login', method: 'GET', path: '/api/jwt/public-key', body: 'none', query: { applicationId: [...APP_IDS], kid: ['nope'] } },
  { origin: 'login', method: 'GET', path: '/api/user/:userId', body: 'none', auth: 'apiKey', params: { userId: [SEED.userId] } },
  { origin: 'login', method: 'GET', path: '/api/user', body: 'none', auth: 'apiKey', query: { userId: [SEED.userId], email: [SEED.email], loginId: [SEED.email] } },
  { origin: 'login', method: 'GET', path: '/api/application/:applicationId', body: 'none', auth: 'apiKey', params: { applicationId: [...APP_IDS] } },
  { origin: 'login', method: 'GET', path: '/api/application', body: 'none', auth: 'apiKey' },
  { origin: 'login', method: 'GET', path: '/api/key/:keyId', body: 'none', auth: 'apiKey', params: { keyId: ['00000000-0000-0000-0000-000000000001'] } },
  { origin: 'login', method: 'GET', path: '/api/key', body: 'none', auth: 'apiKey' },
  {
    origin: 'login',
    method: 'GET',
    path: '/oauth2/authorize',
    body: 'none',
    query: {
      client_id: [...APP_IDS],
      redirect_uri: REDIRECTS,
      response_type: ['token', 'code', 'id_token token', 'token id_token'],
      scope: ['openid', 'openid offline_access', 'openid email profile'],
      state: ['st'],
      nonce: ['n'],
      prompt: ['none', 'login'],
      response_mode: ['fragment', 'query'],
      code_challenge: ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
      code_challenge_method: ['S256', 'plain'],
      login_hint: [SEED.email],
      tenantId: [SEED.tenantId],
    },
  },
  {
    origin: 'login',
    method: 'POST',
    path: '/oauth2/authorize',
    body: 'form',
    fields: {
      client_id: [...APP_IDS],
      redirect_uri: REDIRECTS,
      response_type: ['token', 'code'],
      scope: ['openid'],
      state: ['st'],
      nonce: ['n'],
      loginId: [SEED.email],
      password: [SEED.password, 'nope'],
      rememberDevice: ['true', 'false'],
    },
  },
  {
    origin: 'login',
    method: 'POST',
    path: '/oauth2/token',
    body: 'form',
    fields: {
      grant_type: ['password', 'refresh_token', 'authorization_code', 'client_credentials'],
      client_id: [SEED.storeAppId],
      client_secret: [SEED.storeClientSecret, 'wrong'],
      username: [SEED.email],
      password: [SEED.password],
      refresh_token: ['nope'],
      code: ['nope'],
      redirect_uri: REDIRECTS,
      code_verifier: ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
      scope: ['openid offline_access'],
    },
  },
  {
    origin: 'login',
    method: 'GET',
    path: '/oauth2/logout',
    body: 'none',
    query: { client_id: [...APP_IDS], post_logout_redirect_uri: REDIRECTS, state: ['st'], id_token_hint: ['a.b.c'] },
  },
  { origin: 'login', method: 'POST', path: '/oauth2/logout', body: 'form', fields: { client_id: [...APP_IDS], post_logout_redirect_uri: REDIRECTS, state: ['st'] } },
  { origin: 'login', method: 'GET', path: '/oauth2/userinfo', body: 'none' },
  { origin: 'login', method: 'POST', path: '/oauth2/userinfo', body: 'form', fields: { access_token: ['a.b.c'] } },
  { origin: 'login', method: 'GET', path: '/no-such-page', body: 'none' },
];

/** A cookie as the desktop app reports it (backend/inspector/cookie-view.ts). */
const OBSERVED_COOKIE = { name: 'store_session', value: 's%3Ax.y', domain: 'store.localhost', path: '/', secure: false, httpOnly: true, sameSite: 'lax' };

/** backend/inspector/{inspector-origin,api,identity-api,clock-route}.ts: every /api route needs the launch token. */
const INSPECTOR_ROUTES: RouteSpec[] = [
  { origin: 'inspector', method: 'GET', path: '/healthz', body: 'none' },
  { origin: 'inspector', method: 'GET', path: '/', body: 'none', query: { token: ['{TOKEN}'] } },
  { origin: 'inspector', method: 'GET', path: '/chrome', body: 'none' },
  { origin: 'inspector', method: 'GET', path: '/api/state', body: 'none', auth: 'token' },
  { origin: 'inspector', method: 'GET', path: '/api/trace', body: 'none', auth: 'token' },
  { origin: 'inspector', method: 'GET', path: '/api/trace.har', body: 'none', auth: 'token', query: { include: ['secrets', 'none'] } },
  { origin: 'inspector', method: 'GET', path: '/api/events', body: 'none', auth: 'token' },
  { origin: 'inspector', method: 'POST', path: '/api/workflow', body: 'json', auth: 'token', fields: { id: ['native-refresh', 'implicit-session'] } },
  { origin: 'inspector', method: 'POST', path: '/api/reset', body: 'json', auth: 'token' },
  { origin: 'inspector', method: 'POST', path: '/api/clock/advance', body: 'json', auth: 'token', fields: { seconds: [1, 60, 3600] } },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/expire',
    body: 'json',
    auth: 'token',
    fields: { kind: ['session', 'refresh-token', 'sso-session'], app: ['store', 'forum'], id: ['nope'] },
  },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/attacks/:id',
    body: 'json',
    auth: 'token',
    params: { id: ['stolen-refresh-token', 'stolen-session-cookie', 'fragment-theft', 'token-injection'] },
  },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/switches',
    body: 'json',
    auth: 'token',
    fields: { injectedScript: [false, true], audienceCheck: [true, false] },
    special: ['{"toString":true}', '{"hasOwnProperty":false}', '{"__proto__":true}', '{"constructor":true,"audienceCheck":true}', '{"valueOf":false}'],
  },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/defences',
    body: 'json',
    auth: 'token',
    fields: { 'rt-rotation': [false, true], 'short-absolute-timeout': [false, true], 'client-binding': [false, true], 'strict-csp': [false, true], 'audience-check': [true, false] },
    special: ['{"toString":true}', '{"hasOwnProperty":false}', '{"__proto__":true}', '{"constructor":true,"rt-rotation":true}', '{"valueOf":false}'],
  },
  { origin: 'inspector', method: 'GET', path: '/api/identity', body: 'none', auth: 'token' },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/cookies/observed',
    body: 'json',
    auth: 'token',
    fields: { cookies: [[OBSERVED_COOKIE], []] },
    special: [
      '{"cookies":[{"name":"x","value":"y","domain":"__proto__"}]}',
      '{"cookies":[{"name":"x","value":"y","domain":"constructor"}]}',
      '{"cookies":[{"name":"x","value":"y","domain":"toString"}]}',
      '{"cookies":[{"name":"__proto__","value":"y","domain":"store.localhost"}]}',
      '{"cookies":[{"name":"x","value":"y","domain":"hasOwnProperty","path":"__proto__"}]}',
    ],
  },
  { origin: 'inspector', method: 'POST', path: '/api/identity/check', body: 'json', auth: 'token' },
  {
    origin: 'inspector',
    method: 'POST',
    path: '/api/trace/observed',
    body: 'json',
    auth: 'token',
    fields: {
      source: ['electron'],
      partition: ['persist:store'],
      time: [1],
      method: ['GET'],
      url: ['http://login.localhost:{PORT}/oauth2/authorize'],
      status: [302],
      resourceType: ['mainFrame'],
      setCookies: [[]],
    },
  },
  { origin: 'inspector', method: 'GET', path: '/api/no-such-route', body: 'none', auth: 'token' },
];

/** backend/attacks/attacker-origin.ts */
const ATTACKER_ROUTES: RouteSpec[] = [
  { origin: 'attacker', method: 'GET', path: '/healthz', body: 'none' },
  { origin: 'attacker', method: 'GET', path: '/', body: 'none' },
  { origin: 'attacker', method: 'GET', path: '/collect', body: 'none', query: { fragment: ['access_token=a.b.c&state=s'], from: ['http://store.localhost:{PORT}'] } },
  { origin: 'attacker', method: 'GET', path: '/api/loot', body: 'none' },
  { origin: 'attacker', method: 'GET', path: '/no-such-page', body: 'none' },
];

export const ROUTES: readonly RouteSpec[] = [...appRoutes('store'), ...appRoutes('forum'), ...LOGIN_ROUTES, ...INSPECTOR_ROUTES, ...ATTACKER_ROUTES];

// ---------------------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------------------

export interface FuzzCase {
  id: number;
  /** The origin whose app the case is aimed at (its Host, unless the Host itself is what is mutated). */
  origin: Origin;
  /** "store POST /api/login", or "store (raw)" for cases written byte by byte. */
  route: string;
  /** What was done to the plain request, in words. */
  mutations: string[];
  method: string;
  /** The request target as sent (origin form, absolute form, `*`, …); may hold placeholders. */
  target: string;
  /** Header lines as sent, in order; values may hold placeholders. Host is always here unless deliberately left out. */
  headers: Array<[string, string]>;
  body?: Buffer;
  /** Leave out Content-Length (Node then sends the body chunked). */
  chunked?: boolean;
  /** The whole request as bytes (latin1 string with placeholders), sent over a plain socket. */
  raw?: string;
}

// Values -------------------------------------------------------------------------------------------------------

const NUL_AND_UNICODE: readonly string[] = [
  '\u0000',
  'demo@example.com\u0000',
  'a\u0000b\u0000c',
  '\u0000'.repeat(64),
  '😀',
  '\ud83d', // a lone surrogate: JSON.stringify writes it as an escape, the parser makes it a string that is not valid UTF-16
  '\udfff\ud800',
  '\u202e\u0041\u202c',
  '\ufeff',
  '\u2028\u2029',
  'e\u0301\u0301\u0301',
  'ǅİß\uffff\ufffe',
  '𝕯𝖊𝖒𝖔@example.com',
  'ｄｅｍｏ@example.com',
  '\r\nSet-Cookie: x=1',
  '\t\v\f\b',
  '%00%zz%',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
];

const PROTO_STRINGS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const WRONG_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  ' ',
  'x'.repeat(3000),
  [],
  {},
  [null],
  ['a', 'b'],
  { a: 1 },
  [[[]]],
  { $gt: '' },
  { toString: 'x' },
];

const JWT_LIKE = ['', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'eyJ' + 'A'.repeat(6000) + '.e30.x', '....', 'Bearer', '\u0000.\u0000.\u0000'];

function nasty(rng: Rng): unknown {
  const roll = rng.int(4);
  if (roll === 0) return rng.pick(PROTO_STRINGS);
  if (roll === 1) return rng.pick(WRONG_TYPES);
  return rng.pick(NUL_AND_UNICODE);
}

/** Deep nesting, as JSON text: the kind that blows a recursive walker's stack. */
function deepArrays(n: number): string {
  return '['.repeat(n) + ']'.repeat(n);
}
function deepObjects(n: number): string {
  return '{"a":'.repeat(n) + '1' + '}'.repeat(n);
}
function deepMixed(n: number): string {
  return '[{"a":'.repeat(n) + 'null' + '}]'.repeat(n);
}

const MALFORMED_JSON: readonly string[] = [
  '{',
  '}',
  '{"email":',
  '{"email":"demo@example.com"',
  "{'email':'demo@example.com'}",
  '{"a":1,}',
  '[1,2,,3]',
  '{"a":1}}',
  '{"a" 1}',
  '{a:1}',
  'nul',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":-}',
  '{"a":01}',
  '{"a":1e999999}',
  '{"a":"\\u00"}',
  '{"a":"\\x41"}',
  '{"a":"line\nbreak"}',
  '"just a string"',
  '42',
  'true',
  'null',
  '',
  '   ',
  '\u0000',
  '{"a":"\u0000"}',
  '\ufeff{"a":1}',
  '{"a":1}\u0000garbage',
  '{"a":1} {"b":2}',
  '['.repeat(3000),
  '{"a":'.repeat(2000),
  '{"__proto__":',
  '/* comment */ {}',
];

// Building blocks ------------------------------------------------------------------------------------------------

function fillPath(route: RouteSpec, rng: Rng, override?: string): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => override ?? rng.pick(route.params?.[name] ?? ['x']));
}

function plausibleObject(route: RouteSpec, rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(route.fields ?? {})) {
    if (rng.chance(0.85)) out[name] = structuredClone(rng.pick(values));
  }
  return out;
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as the bytes Node would send for it. */
function pct(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function queryString(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`.replace(/%7BPORT%7D|%7BTOKEN%7D/g, (m) => decodeURIComponent(m))).join('&');
}

function plausibleQuery(route: RouteSpec, rng: Rng): Array<[string, string]> {
  const source = route.query ?? (route.body === 'none' ? (route.fields as Record<string, readonly string[]> | undefined) : undefined) ?? {};
  const pairs: Array<[string, string]> = [];
  for (const [name, values] of Object.entries(source)) if (rng.chance(0.7)) pairs.push([name, String(rng.pick(values))]);
  return pairs;
}

function formOf(obj: Record<string, unknown>): string {
  return queryString(Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']));
}

/** Replaces one leaf (or adds a key) somewhere in a JSON value. */
function mutateLeaf(value: unknown, rng: Rng, replacement: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rng.chance(0.2)) return [...value, replacement];
    const i = rng.int(value.length);
    const copy = [...value];
    copy[i] = mutateLeaf(copy[i], rng, replacement);
    return copy;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 || rng.chance(0.2)) return { ...value, [String(rng.pick(PROTO_STRINGS))]: replacement };
    const key = rng.pick(keys);
    return { ...value, [key]: mutateLeaf((value as Record<string, unknown>)[key], rng, replacement) };
  }
  return replacement;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8'];

/** Content-Type values a browser or a script could send, most of them wrong for what follows. */
const ODD_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'application/json; charset=latin1',
  'application/json; charset=utf-99',
  'application/json; charset="',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/*',
  '*/*',
  'application/json, text/html',
  ';;;',
  '',
  'application/json; boundary=' + 'x'.repeat(2000),
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=utf-7',
  'APPLICATION/JSON',
  'application/json\u00e9',
  'text/html',
];

function bearerVariants(secret: string): string[] {
  return ['', 'Bearer', 'Bearer ', `Bearer ${secret}x`, `bearer ${secret}`, `Bearer  ${secret}`, `Basic ${secret}`, `Bearer ${'A'.repeat(8000)}`, `Bearer \u00e9\u00e9`, 'Bearer null', 'Bearer undefined', `${secret} ${secret}`, 'Basic Og==', 'Basic %%%', 'Negotiate YIIG'];
}

type Draft = {
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body?: Buffer;
  chunked?: boolean;
  mutations: string[];
  /** A target that replaces path+query entirely (absolute form, `*`, …). */
  target?: string;
};

function setHeader(d: Draft, name: string, value: string): void {
  d.headers = d.headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
  d.headers.push([name, value]);
}

function removeHeader(d: Draft, name: string): void {
  d.headers = d.headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
}

function setJson(d: Draft, text: string | Buffer, contentType = 'application/json'): void {
  d.body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  setHeader(d, 'content-type', contentType);
}

function setForm(d: Draft, text: string): void {
  d.body = Buffer.from(text, 'utf8');
  setHeader(d, 'content-type', 'application/x-www-form-urlencoded');
}

function describeBody(body: Buffer | undefined): string {
  if (!body || body.length === 0) return '';
  const head = body.subarray(0, 80).toString('utf8');
  const text = JSON.stringify(head).slice(1, -1);
  return ` body ${body.length} B: ${text}${body.length > 80 ? '…' : ''}`;
}

/** One line that says exactly what was sent (placeholders left in: <port>, <token>, <api key>). */
export function describeCase(c: FuzzCase): string {
  const show = (s: string) => (s.length > 160 ? `${JSON.stringify(s.slice(0, 160)).slice(1, -1)}… (${s.length} chars)` : JSON.stringify(s).slice(1, -1));
  if (c.raw !== undefined) return `#${c.id} ${c.route} [${c.mutations.join('; ')}] raw bytes: ${show(c.raw)}`;
  const headers = c.headers.map(([k, v]) => `${k}: ${show(v)}`).join(' | ');
  return `#${c.id} ${c.route} [${c.mutations.join('; ')}] → ${c.method} ${show(c.target)} | ${headers}${c.chunked ? ' | (chunked)' : ''}${describeBody(c.body)}`;
}

// Mutation families --------------------------------------------------------------------------------------------

type Mutation = (d: Draft, route: RouteSpec, rng: Rng) => void;

/** Every route gets each of these at least once (they are what the issue names); the rest are drawn at random. */
const BODY_FAMILIES: Record<string, Mutation> = {
  'deep arrays': (d, _r, rng) => {
    const n = rng.pick([1000, 2500, 4000, 5000, 7000]);
    setJson(d, deepArrays(n), rng.pick(JSON_TYPES));
    d.mutations.push(`JSON ${n} nested arrays`);
  },
  'deep objects': (d, _r, rng) => {
    const n = rng.pick([600, 1200, 2000, 2600]);
    setJson(d, deepObjects(n), rng.pick(JSON_TYPES));
    d.mutations.push(`JSON ${n} nested objects`);
  },
  'deep mixed': (d, route, rng) => {
    const n = rng.pick([800, 1500]);
    const field = Object.keys(route.fields ?? {})[0] ?? 'a';
    const inField = rng.chance(0.5);
    setJson(d, inField ? `{"${field}":${deepMixed(n)}}` : deepMixed(n));
    d.mutations.push(`JSON ${n} nested [{"a": …}]${inField ? ` in field ${field}` : ''}`);
  },
  'malformed JSON': (d, _r, rng) => {
    const text = rng.pick(MALFORMED_JSON);
    setJson(d, text, rng.pick(JSON_TYPES));
    d.mutations.push('malformed JSON');
  },
  'wrong types': (d, route, rng) => {
    const obj = plausibleObject(route, rng);
    const names = Object.keys(route.fields ?? {});
    const field = names.length > 0 ? rng.pick(names) : rng.pick(['a', 'email', 'token', 'id']);
    const value = rng.pick(WRONG_TYPES);
    obj[field] = value;
    const top = rng.int(8);
    // Sometimes the whole body is of the wrong type.
    const whole = top === 0 ? [obj] : top === 1 ? JSON.stringify(value) : JSON.stringify(obj);
    setJson(d, typeof whole === 'string' ? whole : JSON.stringify(whole));
    d.mutations.push(top === 0 ? 'body is an array' : top === 1 ? 'body is a bare value' : `field ${field} of the wrong type`);
  },
  'prototype keys': (d, route, rng) => {
    const obj = plausibleObject(route, rng);
    const names = Object.keys(route.fields ?? {});
    const key = rng.pick(PROTO_STRINGS);
    const shapes = [
      () => `{"${key}":${JSON.stringify(obj)}}`,
      () => `{"__proto__":{"admin":true,"user":{"email":"${SEED.email}"}},${JSON.stringify(obj).slice(1)}`.replace(/,}$/, '}'),
      () => `{"constructor":{"prototype":{"polluted":true}},"toString":"x","valueOf":1,"hasOwnProperty":true}`,
      () => (names.length > 0 ? `{"${rng.pick(names)}":{"__proto__":{"x":1},"constructor":null}}` : `{"${key}":null}`),
      () => (names.length > 0 ? `{"${rng.pick(names)}":"${key}"}` : `["${key}"]`),
      () => JSON.stringify(mutateLeaf(obj, rng, key)),
      () => `[{"__proto__":1},{"constructor":{"name":"x"}}]`,
    ];
    const text = rng.pick(shapes)();
    setJson(d, text);
    d.mutations.push(`prototype key ${key}`);
  },
  'huge body': (d, route, rng) => {
    const size = rng.pick([20_000, 70_000, 300_000, 1_000_000]);
    const kind = rng.int(4);
    const field = Object.keys(route.fields ?? {})[0] ?? 'a';
    let text: string;
    if (kind === 0) text = JSON.stringify({ [field]: 'x'.repeat(size) });
    else if (kind === 1) text = '[' + Array.from({ length: Math.floor(size / 2) }, () => '0').join(',') + ']';
    else if (kind === 2) text = JSON.stringify(Object.fromEntries(Array.from({ length: Math.floor(size / 12) }, (_, i) => [`k${i}`, i])));
    else text = 'x'.repeat(size);
    if (kind === 3 || route.body === 'form' || (route.body === 'json-or-form' && rng.chance(0.5))) setForm(d, `${field}=${'x'.repeat(size)}`);
    else setJson(d, text);
    d.chunked = rng.chance(0.3);
    d.mutations.push(`huge body ~${size} B${d.chunked ? ', chunked' : ''}`);
  },
  'NUL and unicode': (d, route, rng) => {
    const obj = plausibleObject(route, rng);
    const value = rng.pick(NUL_AND_UNICODE);
    const mutated = mutateLeaf(Object.keys(obj).length ? obj : { a: 'b' }, rng, value);
    if (route.body === 'form' || (route.body === 'json-or-form' && rng.chance(0.4))) setForm(d, formOf(mutated as Record<string, unknown>));
    else if (route.body === 'none' && rng.chance(0.6)) {
      d.query = queryString([...plausibleQuery(route, rng), [rng.pick(Object.keys(route.query ?? { q: [] })), value]]);
    } else setJson(d, JSON.stringify(mutated));
    d.mutations.push(`NUL/unicode ${JSON.stringify(value).slice(0, 30)} in a field`);
  },
};

const FORM_GARBAGE: readonly string[] = [
  'a=%zz',
  '%=%',
  'a=%e9%ff%fe',
  '=&=&=&&&',
  '__proto__=x&constructor=y&toString=z&hasOwnProperty=1',
  '__proto__[admin]=true',
  'client_id=a&client_id=b&client_id=c',
  'a[b][c]=1&a[]=2',
  'loginId=%00&password=%00',
  Array.from({ length: 120 }, (_, i) => `p${i}=${i}`).join('&'),
  'a='.repeat(2000),
  '{"loginId":"demo@example.com"}',
  'grant_type=password&username=demo%40example.com&password=demo-password&client_id=' + SEED.storeAppId,
  '\u0000\u0001\u0002',
  '+++=+++',
];

const OTHER_FAMILIES: Record<string, Mutation> = {
  'form garbage': (d, route, rng) => {
    let text = rng.pick(FORM_GARBAGE);
    if (rng.chance(0.4)) text = `${formOf(plausibleObject(route, rng))}&${text}`;
    setForm(d, text);
    d.mutations.push('form garbage');
  },
  'odd content-type': (d, route, rng) => {
    if (!d.body) {
      const obj = plausibleObject(route, rng);
      d.body = Buffer.from(rng.chance(0.5) ? JSON.stringify(obj) : formOf(obj));
    }
    const ct = rng.pick(ODD_CONTENT_TYPES);
    setHeader(d, 'content-type', ct);
    d.mutations.push(`content-type ${JSON.stringify(ct).slice(0, 40)}`);
  },
  'no content-type': (d, route, rng) => {
    d.body ??= Buffer.from(JSON.stringify(plausibleObject(route, rng)));
    removeHeader(d, 'content-type');
    d.mutations.push('body without content-type');
  },
  'content-encoding': (d, route, rng) => {
    d.body ??= Buffer.from(JSON.stringify(plausibleObject(route, rng)));
    if (!d.headers.some(([k]) => k === 'content-type')) setHeader(d, 'content-type', 'application/json');
    const enc = rng.pick(['gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip', 'identity', 'GZIP', 'zstd']);
    setHeader(d, 'content-encoding', enc);
    d.mutations.push(`content-encoding ${enc} on a plain body`);
  },
  'wrong method': (d, _r, rng) => {
    const m = rng.pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'FOO']);
    d.mutations.push(`method ${m}`);
    d.method = m;
  },
  'odd path': (d, route, rng) => {
    const p = d.path;
    const variants = [
      `/${p}`,
      `${p}/`,
      `${p}//`,
      p.replace(/\//g, '//'),
      `${p}%zz`,
      `${p}/%zz`,
      `/%zz${p}`,
      `${p}%00`,
      `${p}%2f..%2f`,
      `${p}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/..${p}`,
      `${p}/.`,
      `${p};jsessionid=x`,
      p.toUpperCase(),
      `${p}%20`,
      `${p}\\..\\x`,
      `${p}/${'a'.repeat(rng.pick([1000, 8000, 12_000]))}`,
      `${p}%c0%ae%c0%ae/`,
      `${p}%e9`,
      `${p}/caf%C3%A9/%F0%9F%98%80`,
      Buffer.from(`${p}/café`, 'utf8').toString('latin1'),
      route.path.includes(':') ? fillPath(route, rng, rng.pick(['', '%zz', '..', '%2e%2e', '%2F', '__proto__', 'constructor', 'toString', 'a'.repeat(3000), '%00', '*', '{', '%F0%9F%98%80'])) : `${p}/x`,
    ];
    d.path = rng.pick(variants);
    d.mutations.push('odd path');
  },
  'odd query': (d, route, rng) => {
    const base = plausibleQuery(route, rng);
    const names = Object.keys(route.query ?? route.fields ?? { q: [] });
    const name = names.length ? rng.pick(names) : 'q';
    const variants = [
      () => queryString([...base, [name, 'a'], [name, 'b']]),
      () => `${queryString(base)}&__proto__=1&constructor=x&toString=y&${name}[__proto__]=z`,
      () => `${name}=%zz&%zz=1`,
      () => `${name}=%`,
      () => `${name}[]=1&${name}[x]=2`,
      () => Array.from({ length: 1200 }, (_, i) => `q${i}=${i}`).join('&'),
      () => `${name}=${'x'.repeat(9000)}`,
      () => `${name}=${pct(String(nasty(rng)))}`,
      () => '&&&==&=',
      () => `${name}=%00&token=%00`,
      () => `token={TOKEN}&token={TOKEN}`,
    ];
    d.query = rng.pick(variants)();
    d.mutations.push('odd query');
  },
  'absolute-form target': (d, _r, rng) => {
    const pathq = `${d.path}${d.query ? `?${d.query}` : ''}`;
    const variants = [`http://x${pathq}`, `http://{HOST}${pathq}`, `https://{HOST}${pathq}`, `http://evil.example${pathq}`, `HTTP://X${pathq}`, `http://[::1]:{PORT}${pathq}`, `http://x:99999${pathq}`, `ftp://x${pathq}`, `http://${pathq}`, `http:x${pathq}`];
    d.target = rng.pick(variants);
    d.mutations.push('absolute-form target');
  },
  'asterisk target': (d, _r, rng) => {
    d.target = '*';
    d.method = rng.pick(['OPTIONS', 'OPTIONS', 'GET', 'POST']);
    d.mutations.push(`${d.method} *`);
  },
  'odd host': (d, _r, rng) => {
    const variants: Array<string | null> = [
      null,
      '',
      '{ORIGIN}.localhost',
      '{ORIGIN}.localhost:{PORT}.',
      '{ORIGIN}.LOCALHOST:{PORT}',
      '{ORIGIN}.localhost.:{PORT}',
      '{ORIGIN}.localhost:0{PORT}',
      '{ORIGIN}.localhost:{PORT}:{PORT}',
      '{ORIGIN}.localhost: {PORT}',
      'x.{ORIGIN}.localhost:{PORT}',
      'evil.localhost:{PORT}',
      '127.0.0.1:{PORT}',
      '[::1]:{PORT}',
      'localhost:{PORT}',
      'user@{ORIGIN}.localhost:{PORT}',
      '{ORIGIN}.localhost:{PORT}/path',
      '{ORIGIN}.localhost:{PORT}#',
      '{ORIGIN}.localhost:99999',
      '{ORIGIN}.localhost:-1',
      'ｓｔｏｒｅ.localhost:{PORT}',
      Buffer.from('störe.localhost:{PORT}', 'utf8').toString('latin1'),
      'a'.repeat(5000) + '.localhost:{PORT}',
      '__proto__.localhost:{PORT}',
      'constructor.localhost:{PORT}',
      'toString.localhost:{PORT}',
    ];
    const v = rng.pick(variants);
    if (v === null) {
      removeHeader(d, 'host');
      d.mutations.push('no Host header');
    } else {
      setHeader(d, 'host', v);
      d.mutations.push(`Host ${JSON.stringify(v.slice(0, 40))}`);
    }
  },
  'huge cookie': (d, _r, rng) => {
    const size = rng.pick([4000, 8000, 12_000, 40_000]);
    const shape = rng.int(3);
    const value =
      shape === 0
        ? `{APP}_session=${'s'.repeat(size)}`
        : shape === 1
          ? Array.from({ length: Math.floor(size / 8) }, (_, i) => `c${i}=v`).join('; ')
          : `{APP}_refresh_token=${'r'.repeat(size)}; refresh_token=${'r'.repeat(Math.floor(size / 4))}`;
    setHeader(d, 'cookie', value);
    d.mutations.push(`cookie header ~${value.length} chars`);
  },
  'odd cookie': (d, _r, rng) => {
    const variants = [
      '{APP}_session=s%3Agarbage.sig',
      '{APP}_session=s%3A%zz',
      '{APP}_session=',
      '{APP}_session=s:' + 'x'.repeat(300) + '.x',
      '{APP}_refresh_token=%zz',
      '{APP}_refresh_token=%00',
      '{APP}_refresh_token=__proto__',
      '{APP}_refresh_token=nope; {APP}_refresh_token=nope2',
      'refresh_token=nope; access_token=a.b.c',
      'access_token=' + JWT_LIKE[3],
      'fusionauth.sso=garbage',
      'fusionauth.sso=%zz; fusionauth.sso=x',
      '__proto__=1; constructor=2; toString=3',
      ';;;;',
      '=',
      'a=b=c; ==; =x',
      Buffer.from('{APP}_session=café😀', 'utf8').toString('latin1'),
      '{APP}_session="quoted"',
      '{COOKIES}',
      '{COOKIES}; {APP}_session=s%3Aforged.sig',
    ];
    const v = rng.pick(variants);
    setHeader(d, 'cookie', v);
    d.mutations.push(`cookie ${JSON.stringify(v.slice(0, 50))}`);
  },
  'bad authorization': (d, route, rng) => {
    const secret = route.auth === 'apiKey' ? '{API_KEY}' : '{TOKEN}';
    const v = rng.pick([...bearerVariants(secret), ...JWT_LIKE.map((j) => `Bearer ${j}`)]);
    setHeader(d, 'authorization', v);
    d.mutations.push(`authorization ${JSON.stringify(v.slice(0, 40))}`);
  },
  'odd headers': (d, _r, rng) => {
    const variants: Array<[string, string]> = [
      ['x-loginscope-actor', 'store-backend'],
      ['x-loginscope-actor', 'forum-backend'],
      ['x-loginscope-actor', '__proto__'],
      ['x-loginscope-actor', 'toString'],
      ['x-loginscope-exchange', '-1'],
      ['x-loginscope-exchange', '9007199254740993'],
      ['x-fusionauth-tenantid', 'nope'],
      ['x-fusionauth-tenantid', '__proto__'],
      ['origin', 'null'],
      ['origin', 'http://attacker.localhost:{PORT}'],
      ['sec-fetch-site', 'cross-site'],
      ['referer', 'http://x/' + 'r'.repeat(6000)],
      ['accept', '*/*;q=garbage, text/html;q=2'],
      ['accept-encoding', 'gzip;q=, br;q=x, *;q=-1'],
      ['accept-language', 'x'.repeat(3000)],
      ['range', 'bytes=999999999-1, -0, garbage'],
      ['if-none-match', '"' + 'x'.repeat(2000)],
      ['if-modified-since', 'not a date'],
      ['x-forwarded-for', '1.2.3.4, ::1, garbage'],
      ['x-forwarded-proto', 'https'],
      ['x-forwarded-host', 'evil.example'],
      ['forwarded', 'for=unknown;host=evil'],
      ['x-http-method-override', 'DELETE'],
      ['connection', 'close'],
      ['upgrade', 'websocket'],
      ['transfer-encoding', 'gzip'],
      ['user-agent', Buffer.from('😀'.repeat(50), 'utf8').toString('latin1')],
      ['x-custom-\u00e9', 'value'],
    ];
    const [k, v] = rng.pick(variants);
    if (k === 'upgrade') setHeader(d, 'connection', 'Upgrade');
    setHeader(d, k, v);
    d.mutations.push(`header ${k}: ${JSON.stringify(v.slice(0, 40))}`);
  },
};

/** The families each origin's request targets must all see (the issue's "odd request targets"), once per origin. */
const TARGET_FAMILIES = ['absolute-form target', 'asterisk target', 'odd path', 'odd query', 'odd host'] as const;

const ALL_FAMILIES: Record<string, Mutation> = { ...BODY_FAMILIES, ...OTHER_FAMILIES };

function baseDraft(route: RouteSpec, rng: Rng): Draft {
  const d: Draft = { method: route.method, path: fillPath(route, rng), query: queryString(plausibleQuery(route, rng)), headers: [['host', '{HOST}']], mutations: [] };
  // The launch token or the API key about half of the time; otherwise none (the 401 paths get their share).
  if (route.auth && rng.chance(0.55)) d.headers.push(['authorization', route.auth === 'apiKey' ? '{API_KEY}' : 'Bearer {TOKEN}']);
  if ((route.origin === 'store' || route.origin === 'forum') && rng.chance(0.35)) d.headers.push(['cookie', '{COOKIES}']);
  if (route.body === 'json' || route.body === 'json-or-form') {
    const obj = plausibleObject(route, rng);
    if (route.body === 'json-or-form' && rng.chance(0.3)) setForm(d, formOf(obj));
    else setJson(d, JSON.stringify(obj));
  } else if (route.body === 'form') setForm(d, formOf(plausibleObject(route, rng)));
  return d;
}

function finish(d: Draft, route: RouteSpec | undefined, origin: Origin): Omit<FuzzCase, 'id'> {
  const target = d.target ?? `${d.path}${d.query ? `?${d.query}` : ''}`;
  const c: Omit<FuzzCase, 'id'> = {
    origin,
    route: route ? `${route.origin} ${route.method} ${route.path}` : `${origin} (any route)`,
    mutations: d.mutations.length ? d.mutations : ['plain'],
    method: d.method,
    target,
    headers: d.headers,
  };
  if (d.body) c.body = d.body;
  if (d.chunked) c.chunked = true;
  return c;
}

/**
 * Raw requests, written byte by byte: what an HTTP client library would refuse to send.
 * `{HOST}` is the origin's Host, `{PORT}` the port.
 */
const RAW_REQUESTS: ReadonlyArray<[string, string]> = [
  ['HTTP/1.1 without Host', 'GET /api/me HTTP/1.1\r\nConnection: close\r\n\r\n'],
  ['HTTP/1.0 without Host', 'GET /api/me HTTP/1.0\r\n\r\n'],
  ['two Host headers', 'GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nHost: evil.localhost:{PORT}\r\nConnection: close\r\n\r\n'],
  ['NUL in the target', 'GET /api/me\u0000x HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['raw UTF-8 in the target', Buffer.from('GET /api/café/😀 HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n', 'utf8').toString('latin1')],
  ['bare LF line ends', 'GET /api/me HTTP/1.1\nHost: {HOST}\nConnection: close\n\n'],
  ['obs-fold header', 'GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n'],
  ['Content-Length and Transfer-Encoding', 'POST /api/logout HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n'],
  ['two Content-Lengths', 'POST /api/logout HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{} '],
  ['bad chunk size', 'POST /api/logout HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ['HTTP/2.0 request line', 'GET /api/me HTTP/2.0\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['HTTP/1.9 request line', 'GET /api/me HTTP/1.9\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['space before the colon', 'GET /api/me HTTP/1.1\r\nHost : {HOST}\r\nConnection: close\r\n\r\n'],
  ['header without a colon', 'GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nNoColonHere\r\nConnection: close\r\n\r\n'],
  ['NUL in a header value', 'GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n'],
  ['lower-case method', 'get /api/me HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['double spaces in the request line', 'GET  /api/me  HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['authority-form target on GET', 'GET {HOST} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'],
  ['header line of 20 KB', `GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`],
  ['target of 20 KB', `GET /${'p'.repeat(20_000)} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n`],
  ['deep JSON, chunked in tiny pieces', `POST /api/logout HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked(deepArrays(4000), 7)}`],
  ['invalid UTF-8 in a JSON body', 'POST /api/logout HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"a":"\u00ff\u00fe\u00c0"}\u0000'],
  ['Latin-1 bytes in a header', 'GET /api/me HTTP/1.1\r\nHost: {HOST}\r\nCookie: {APP}_session=\u00e9\u00ff\r\nConnection: close\r\n\r\n'],
  ['garbage instead of HTTP', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'],
];

function chunked(text: string, size: number): string {
  let out = '';
  for (let i = 0; i < text.length; i += size) {
    const part = text.slice(i, i + size);
    out += `${part.length.toString(16)}\r\n${part}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}

export interface GenerateOptions {
  /** Random cases per route on top of the ones every route gets. */
  randomPerRoute: number;
}

/**
 * Every case of one run, in the order they are sent. Per route: the plain request, one case of each body family (deep
 * arrays, deep objects, malformed JSON, wrong types, prototype keys, huge bodies, NUL/unicode) whatever the route
 * reads, HEAD (or GET) and OPTIONS, its route-specific bodies, then random mixes of one to three mutations of any
 * family. Per origin: each odd-target family twice, the issue's own repros, and every raw request.
 */
export function generateCases(seed: number, options: GenerateOptions): FuzzCase[] {
  const rng = createRng(seed);
  const drafts: Array<{ d: Draft; route: RouteSpec | undefined; origin: Origin }> = [];
  const familyNames = Object.keys(ALL_FAMILIES);
  for (const route of ROUTES) {
    // A plain request first: it must get a fine answer too.
    drafts.push({ d: baseDraft(route, rng), route, origin: route.origin });
    for (const [name, family] of Object.entries(BODY_FAMILIES)) {
      const d = baseDraft(route, rng);
      family(d, route, rng);
      if (name === 'deep arrays' && route.method === 'GET') d.mutations.push('(body on a GET)');
      drafts.push({ d, route, origin: route.origin });
    }
    // Another method on the same path: HEAD (or GET) and OPTIONS, which Express answers for every route by itself.
    for (const method of [route.method === 'GET' ? 'HEAD' : 'GET', 'OPTIONS']) {
      const d = baseDraft(route, rng);
      d.method = method;
      // With the credential, so the request reaches the route's own handler.
      if (route.auth) setHeader(d, 'authorization', route.auth === 'apiKey' ? '{API_KEY}' : 'Bearer {TOKEN}');
      d.mutations.push(`method ${method}`);
      drafts.push({ d, route, origin: route.origin });
    }
    for (const special of route.special ?? []) {
      const d = baseDraft(route, rng);
      if (route.auth) setHeader(d, 'authorization', route.auth === 'apiKey' ? '{API_KEY}' : 'Bearer {TOKEN}');
      setJson(d, special);
      d.mutations.push('route-specific body');
      drafts.push({ d, route, origin: route.origin });
    }
    for (let i = 0; i < options.randomPerRoute; i++) {
      const d = baseDraft(route, rng);
      const count = 1 + rng.int(3);
      for (let j = 0; j < count; j++) ALL_FAMILIES[rng.pick(familyNames)]!(d, route, rng);
      drafts.push({ d, route, origin: route.origin });
    }
  }
  for (const origin of ORIGINS) {
    const routes = ROUTES.filter((r) => r.origin === origin);
    for (const name of TARGET_FAMILIES) {
      for (let i = 0; i < 2; i++) {
        const route = rng.pick(routes);
        const d = baseDraft(route, rng);
        OTHER_FAMILIES[name]!(d, route, rng);
        drafts.push({ d, route, origin });
      }
    }
    // The issue's own repros, as they are.
    const abs = baseDraft(routes.find((r) => r.path === '/api/me') ?? routes[0]!, rng);
    abs.target = 'http://x/api/me';
    abs.method = 'GET';
    abs.mutations.push('absolute-form target http://x/api/me');
    drafts.push({ d: abs, route: undefined, origin });
    drafts.push({ d: { method: 'OPTIONS', path: '*', query: '', target: '*', headers: [['host', '{HOST}']], mutations: ['OPTIONS *'] }, route: undefined, origin });
    drafts.push({ d: { method: 'GET', path: '//double', query: '', headers: [['host', '{HOST}']], mutations: ['//double'] }, route: undefined, origin });
    drafts.push({ d: { method: 'GET', path: '/%zz', query: '', headers: [['host', '{HOST}']], mutations: ['/%zz'] }, route: undefined, origin });
    drafts.push({ d: { method: 'GET', path: `/${'long/'.repeat(2400)}`, query: '', headers: [['host', '{HOST}']], mutations: ['path of 12 KB'] }, route: undefined, origin });
  }

  const cases: Array<Omit<FuzzCase, 'id'>> = drafts.map(({ d, route, origin }) => finish(d, route, origin));
  for (const origin of ORIGINS) {
    for (const [label, raw] of RAW_REQUESTS) cases.push({ origin, route: `${origin} (raw)`, mutations: [label], method: '', target: '', headers: [], raw });
  }
  // One order for the whole run, mixing origins and routes (so state left by one request meets the others), fixed by the seed.
  return rng.shuffle(cases).map((c, i) => ({ ...c, id: i + 1 }));
}
