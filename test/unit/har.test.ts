import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MASK, maskBody, maskUrl, traceToHar, type HarEntry } from '../../backend/trace/har.js';
import { isPlumbing, withPlumbingFlag } from '../../backend/trace/plumbing.js';
import { summariseBody } from '../../backend/trace/summary.js';
import type { ExchangeEvent, InternalEvent, TraceEvent } from '../../backend/trace/types.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEiLCJhdWQiOiJzdG9yZSJ9.c2lnbmF0dXJl';
const REFRESH = 'rt-9f8e7d6c5b4a';
const SESSION = 's%3AAbCdEf.signature';

function exchange(id: number, over: Partial<ExchangeEvent>): ExchangeEvent {
  return {
    id,
    time: Date.UTC(2030, 0, 1, 12, 0, id),
    type: 'exchange',
    actor: 'browser',
    origin: 'store',
    method: 'GET',
    url: 'http://store.localhost:9311/',
    path: '/',
    requestCookies: {},
    status: 200,
    setCookies: [],
    durationMs: 3.5,
    caused: [],
    ...over,
  };
}

/** A slice of both seeds: a native login, a cart read, a backend refresh call, the implicit grant's redirect. */
const events: TraceEvent[] = [
  exchange(1, { method: 'POST', url: 'http://store.localhost:9311/api/login', path: '/api/login', requestBody: '{"email":"demo@example.com","password":"••••••"}', contentType: 'application/json; charset=utf-8', responseBody: '{"user":{"email":"demo@example.com"}}', setCookies: [`store_session=${SESSION}; Path=/; Expires=Tue, 01 Jan 2030 12:10:00 GMT; HttpOnly; SameSite=Lax`, `store_refresh_token=${REFRESH}; Path=/; HttpOnly; SameSite=Lax`] }),
  { id: 2, time: Date.UTC(2030, 0, 1, 12, 0, 2), type: 'session.created', system: 'store', data: { sid: 'AbCdEf' }, correlationId: 1 } satisfies InternalEvent,
  exchange(3, { url: 'http://store.localhost:9311/api/cart', path: '/api/cart', requestCookies: { store_session: SESSION, store_refresh_token: REFRESH }, contentType: 'application/json', responseBody: '{"items":[],"totalCents":0}' }),
  exchange(4, { actor: 'store-backend', origin: 'login', method: 'POST', url: 'http://login.localhost:9311/api/jwt/refresh', path: '/api/jwt/refresh', requestHeaders: { 'content-type': 'application/json', authorization: 'the-api-key' }, requestBody: `{"refreshToken":"${REFRESH}"}`, contentType: 'application/json', responseBody: `{"token":"${JWT}","refreshToken":"${REFRESH}"}`, correlationId: 3 }),
  exchange(5, { origin: 'login', method: 'POST', url: 'http://login.localhost:9311/oauth2/authorize', path: '/oauth2/authorize', requestBody: 'loginId=demo%40example.com&password=••••••&client_id=store', status: 302, location: `http://store.localhost:9311/oauth-redirect#access_token=${JWT}&token_type=Bearer&state=xyz`, setCookies: ['fusionauth.sso=sso-secret-value; Path=/; HttpOnly; SameSite=Lax'] }),
  exchange(6, { url: `http://store.localhost:9311/callback?code=abc123&state=xyz`, path: '/callback' }),
];

// har-schema ships JSON Schemas (draft-06) without typings; load them as plain data.
const require = createRequire(import.meta.url);
const harSchemas = require('har-schema') as Record<string, object>;
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json') as object;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft6);
  for (const schema of Object.values(harSchemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

describe('HAR export of the trace', () => {
  const validate = validator();

  it('keeps the recorded request headers, with Authorization masked unless secrets are asked for', () => {
    const header = (includeSecrets: boolean) => traceToHar(events, { includeSecrets }).log.entries.find((e) => e.request.url.includes('/api/jwt/refresh'))!.request.headers;
    expect(header(false)).toContainEqual({ name: 'authorization', value: MASK });
    expect(header(false)).toContainEqual({ name: 'content-type', value: 'application/json' });
    expect(header(true)).toContainEqual({ name: 'authorization', value: 'the-api-key' });
  });

  it('is HAR 1.2 by the schema, exchanges only, with step numbers in the comments', () => {
    const har = traceToHar(events, { includeSecrets: false, stepsOf: (id) => (id === 1 ? [6, 10] : []) });
    const valid = validate(JSON.parse(JSON.stringify(har)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e) => e.request.url.split('?')[0]!.split('#')[0])).toHaveLength(5);
    expect(har.log.entries[0]!.comment).toContain('steps 6, 10');
    expect(har.log.entries[0]!.startedDateTime).toBe('2030-01-01T12:00:01.000Z');
    expect(har.log.entries[0]!.response.statusText).toBe('OK');

    // The validator does reject a broken document: an entry without its required `cache`.
    const broken = JSON.parse(JSON.stringify(har)) as { log: { entries: Array<Record<string, unknown>> } };
    delete broken.log.entries[0]!.cache;
    expect(validate(broken)).toBe(false);
  });

  it('masks cookie values, Set-Cookie values, tokens in bodies, URLs and fragments by default', () => {
    const har = traceToHar(events, { includeSecrets: false });
    const text = JSON.stringify(har);
    for (const secret of [JWT, REFRESH, SESSION, 'sso-secret-value', 'abc123']) expect(text).not.toContain(secret);
    const [login, , refresh, authorize, callback] = har.log.entries;
    expect(login!.response.cookies.map((c) => [c.name, c.value, c.httpOnly])).toEqual([
      ['store_session', MASK, true],
      ['store_refresh_token', MASK, true],
    ]);
    expect(login!.response.headers.find((h) => h.name === 'Set-Cookie')!.value).toMatch(/^store_session=\[masked\]; Path=\/; Expires=/);
    expect(login!.response.cookies[0]!.expires).toBe('2030-01-01T12:10:00.000Z');
    expect(har.log.entries[1]!.request.cookies).toEqual([
      { name: 'store_session', value: MASK },
      { name: 'store_refresh_token', value: MASK },
    ]);
    expect(JSON.parse(refresh!.response.content.text!)).toEqual({ token: MASK, refreshToken: MASK });
    expect(authorize!.response.redirectURL).toContain('#access_token=%5Bmasked%5D&token_type=Bearer&state=xyz');
    expect(callback!.request.queryString).toContainEqual({ name: 'code', value: MASK });
    expect(validate(JSON.parse(text))).toBe(true);
  });

  it('includes the secrets when asked', () => {
    const har = traceToHar(events, { includeSecrets: true });
    expect(validate(JSON.parse(JSON.stringify(har)))).toBe(true);
    const [login, cart, refresh, authorize] = har.log.entries;
    expect(login!.response.cookies[0]!.value).toBe(SESSION);
    expect(cart!.request.cookies).toContainEqual({ name: 'store_refresh_token', value: REFRESH });
    expect(refresh!.response.content.text).toContain(JWT);
    expect(authorize!.response.redirectURL).toContain(`#access_token=${JWT}`);
    expect(har.log.comment).toContain('Secrets included');
  });

  it('masks tokens wherever they sit in free text', () => {
    expect(maskUrl(`http://store.localhost/oauth-redirect#access_token=${JWT}&state=s`)).toBe('http://store.localhost/oauth-redirect#access_token=%5Bmasked%5D&state=s');
    expect(maskBody(`{"user":{"jwt":"${JWT}","name":"x"},"list":["${JWT}"]}`)).toBe(`{"user":{"jwt":"${MASK}","name":"x"},"list":["${MASK}"]}`);
    expect(maskBody(`refresh_token=${REFRESH}&grant_type=refresh_token`)).toBe('refresh_token=%5Bmasked%5D&grant_type=refresh_token');
    expect(maskBody(`Bearer ${JWT}`)).toBe(`Bearer ${MASK}`);
  });
});

const FORM = 'application/x-www-form-urlencoded';
const CSRF = 'csrf-7a6b5c4d';

/** The hosted login form's fields, in the page's order, as body-parser hands them to the recorder. */
const hostedForm = {
  client_id: 'store',
  redirect_uri: 'http://store.localhost:9311/oauth-redirect',
  response_type: 'token',
  scope: 'openid offline_access',
  state: 'st-1 &=?',
  csrfToken: CSRF,
  loginId: 'demo@example.com',
  password: 'demo-password',
};

/** The hosted form's POST exactly as the recorder stores it: the parsed form summarised by summariseBody. */
const authorizePost = (id: number, body: object, over: Partial<ExchangeEvent> = {}) =>
  exchange(id, {
    origin: 'login',
    method: 'POST',
    url: 'http://login.localhost:9311/oauth2/authorize',
    path: '/oauth2/authorize',
    requestHeaders: { 'content-type': FORM, origin: 'http://login.localhost:9311' },
    requestBody: summariseBody(body, FORM)!,
    status: 302,
    ...over,
  });

const postOf = (har: ReturnType<typeof traceToHar>, path: string) => har.log.entries.find((e) => new URL(e.request.url).pathname === path)!.request.postData!;

/** har-schema leaves `params` items unchecked, so their HAR 1.2 shape is checked here: `{ name, value }` strings. */
function expectParamShape(entries: HarEntry[]) {
  for (const { params } of entries.flatMap((e) => (e.request.postData ? [e.request.postData] : []))) {
    for (const p of params ?? []) expect(p).toEqual({ name: expect.any(String), value: expect.any(String) });
  }
}

describe('HAR postData of form posts', () => {
  const validate = validator();

  it('stores the hosted form as params with the real field names in posted order, secrets masked, and the urlencoded text', () => {
    // The recorder keeps the parsed form as JSON text: this is the shape that used to land in the HAR as-is.
    expect(authorizePost(1, hostedForm).requestBody).toMatch(/^\{"client_id":"store"/);
    const har = traceToHar([authorizePost(1, hostedForm)], { includeSecrets: false });
    expect(validate(JSON.parse(JSON.stringify(har)))).toBe(true);
    expectParamShape(har.log.entries);
    const post = postOf(har, '/oauth2/authorize');
    expect(post.mimeType).toBe(FORM);
    expect(post.params).toEqual([
      { name: 'client_id', value: 'store' },
      { name: 'redirect_uri', value: 'http://store.localhost:9311/oauth-redirect' },
      { name: 'response_type', value: 'token' },
      { name: 'scope', value: 'openid offline_access' },
      { name: 'state', value: 'st-1 &=?' },
      { name: 'csrfToken', value: MASK },
      { name: 'loginId', value: 'demo@example.com' },
      { name: 'password', value: MASK },
    ]);
    expect(post.text).toBe(
      'client_id=store&redirect_uri=http%3A%2F%2Fstore.localhost%3A9311%2Foauth-redirect&response_type=token&scope=openid+offline_access' +
        '&state=st-1+%26%3D%3F&csrfToken=%5Bmasked%5D&loginId=demo%40example.com&password=%5Bmasked%5D',
    );
    expect(post.text.trim().startsWith('{')).toBe(false);
    expect(har.log.entries[0]!.request.bodySize).toBe(Buffer.byteLength(post.text));
    expect(JSON.stringify(har)).not.toContain(CSRF);
  });

  it('keeps the fields complete with secrets included; the password itself never reached the trace', () => {
    const har = traceToHar([authorizePost(1, hostedForm)], { includeSecrets: true });
    expect(validate(JSON.parse(JSON.stringify(har)))).toBe(true);
    const post = postOf(har, '/oauth2/authorize');
    expect(post.params!.map((p) => p.name)).toEqual(Object.keys(hostedForm));
    expect(post.params).toContainEqual({ name: 'csrfToken', value: CSRF });
    expect(post.params).toContainEqual({ name: 'state', value: 'st-1 &=?' });
    // summary.ts replaces a password before the trace keeps the body; the HAR shows what the trace holds.
    expect(post.params).toContainEqual({ name: 'password', value: '••••••' });
    expect(new URLSearchParams(post.text).get('csrfToken')).toBe(CSRF);
    expect(JSON.stringify(har)).not.toContain('demo-password');
  });

  it('writes a repeated field as one param per value, and JWT-shaped values are masked whatever the name', () => {
    const body = { scope: ['openid', 'offline_access'], hint: JWT };
    const masked = postOf(traceToHar([authorizePost(1, body)], { includeSecrets: false }), '/oauth2/authorize');
    expect(masked.params).toEqual([
      { name: 'scope', value: 'openid' },
      { name: 'scope', value: 'offline_access' },
      { name: 'hint', value: MASK },
    ]);
    expect(masked.text).toBe('scope=openid&scope=offline_access&hint=%5Bmasked%5D');
    const full = postOf(traceToHar([authorizePost(1, body)], { includeSecrets: true }), '/oauth2/authorize');
    expect(full.params).toContainEqual({ name: 'hint', value: JWT });
  });

  it('reads forms recorded as urlencoded text too (the backends’ own form calls, older traces without headers)', () => {
    const backendCall = exchange(1, {
      actor: 'store-backend',
      origin: 'login',
      method: 'POST',
      url: 'http://login.localhost:9311/oauth2/token',
      path: '/oauth2/token',
      requestHeaders: { 'content-type': FORM },
      requestBody: summariseBody(`grant_type=refresh_token&refresh_token=${REFRESH}&client_id=store`, FORM)!,
    });
    const har = traceToHar([backendCall, events[4]!], { includeSecrets: false });
    expect(validate(JSON.parse(JSON.stringify(har)))).toBe(true);
    expect(postOf(har, '/oauth2/token').params).toEqual([
      { name: 'grant_type', value: 'refresh_token' },
      { name: 'refresh_token', value: MASK },
      { name: 'client_id', value: 'store' },
    ]);
    // The fixture's authorize POST has no recorded headers: its type is inferred, and it still gets params.
    const inferred = postOf(har, '/oauth2/authorize');
    expect(inferred.mimeType).toBe(FORM);
    expect(inferred.params!.map((p) => p.name)).toEqual(['loginId', 'password', 'client_id']);
    expect(inferred.params).toContainEqual({ name: 'password', value: MASK });
  });

  it('leaves JSON bodies as JSON text, without params', () => {
    const har = traceToHar(events, { includeSecrets: false });
    const login = postOf(har, '/api/login');
    expect(login).toEqual({ mimeType: 'application/json', text: `{"email":"demo@example.com","password":"${MASK}"}` });
    expect(postOf(har, '/api/jwt/refresh')).toEqual({ mimeType: 'application/json', text: `{"refreshToken":"${MASK}"}` });
  });

  it('falls back to masked text when a form summary cannot be read as fields (cut at the size limit, or not recorded)', () => {
    const cut = authorizePost(1, {}, { requestBody: `{"loginId":"demo@example.com","token":"${JWT}","rest":"…` });
    const post = postOf(traceToHar([cut], { includeSecrets: false }), '/oauth2/authorize');
    expect(post.params).toBeUndefined();
    expect(post.text).toBe(`{"loginId":"demo@example.com","token":"${MASK}","rest":"…`);
    const failed = authorizePost(2, {}, { requestBody: '(not recorded: the recorder failed on this exchange)' });
    expect(postOf(traceToHar([failed], { includeSecrets: false }), '/oauth2/authorize')).toEqual({ mimeType: FORM, text: '(not recorded: the recorder failed on this exchange)' });
  });
});

describe("Loginscope's own calls in the trace", () => {
  const validate = validator();
  const uiEvent = exchange(10, { method: 'POST', url: 'http://store.localhost:9311/api/ui-events', path: '/api/ui-events', requestHeaders: { 'content-type': 'application/json' }, requestBody: '{"view":"login-form"}', status: 204 });
  const workflow = exchange(11, { origin: 'forum', url: 'http://forum.localhost:9311/api/workflow', path: '/api/workflow', contentType: 'application/json', responseBody: '{"id":"native-refresh"}' });
  const rendered: InternalEvent = { id: 12, time: Date.UTC(2030, 0, 1, 12, 0, 12), type: 'browser.rendered', system: 'store', data: { view: 'login-form' }, correlationId: 10 };
  const withPlumbing: TraceEvent[] = [...events, uiEvent, workflow, rendered];

  it('counts only the SPAs’ own /api/workflow and /api/ui-events calls to the app origins as plumbing', () => {
    expect(isPlumbing(uiEvent)).toBe(true);
    expect(isPlumbing(workflow)).toBe(true);
    // Express answers these spellings with the same handlers.
    expect(isPlumbing(exchange(1, { path: '/API/Workflow/' }))).toBe(true);
    // Not plumbing: the event the call caused, the app's real API, another actor, another origin, a longer path.
    expect(isPlumbing(rendered)).toBe(false);
    expect(isPlumbing(events[2]!)).toBe(false);
    expect(isPlumbing(exchange(1, { actor: 'attacker', path: '/api/workflow' }))).toBe(false);
    expect(isPlumbing(exchange(1, { origin: 'login', path: '/api/workflow' }))).toBe(false);
    expect(isPlumbing(exchange(1, { path: '/api/workflow/extra' }))).toBe(false);
  });

  it('flags plumbing events for the inspector and leaves every other event as it was', () => {
    expect(withPlumbingFlag(uiEvent)).toEqual({ ...uiEvent, plumbing: true });
    expect(uiEvent).not.toHaveProperty('plumbing');
    for (const e of [...events, rendered]) expect(withPlumbingFlag(e)).toBe(e);
  });

  it('leaves them out of the HAR by default and keeps them when asked, with or without secrets', () => {
    const paths = (har: ReturnType<typeof traceToHar>) => har.log.entries.map((e) => new URL(e.request.url).pathname);
    const plain = traceToHar(withPlumbing, { includeSecrets: false });
    expect(paths(plain)).toEqual(['/api/login', '/api/cart', '/api/jwt/refresh', '/oauth2/authorize', '/callback']);
    expect(plain.log.comment).toContain("Loginscope's own calls");

    for (const includeSecrets of [false, true]) {
      const har = traceToHar(withPlumbing, { includeSecrets, includePlumbing: true });
      expect(validate(JSON.parse(JSON.stringify(har)))).toBe(true);
      expect(paths(har)).toEqual(['/api/login', '/api/cart', '/api/jwt/refresh', '/oauth2/authorize', '/callback', '/api/ui-events', '/api/workflow']);
      expect(har.log.comment).not.toContain("Loginscope's own calls");
      expect(har.log.comment).toContain(includeSecrets ? 'Secrets included' : 'masked');
    }
  });
});
