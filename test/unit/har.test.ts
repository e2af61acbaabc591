import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MASK, maskBody, maskUrl, traceToHar } from '../../backend/trace/har.js';
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
