import { describe, expect, it } from 'vitest';
import { countdown, duration } from '../../renderer/inspector/format.js';
import { base64UrlDecode, decodeJwt, findJwts } from '../../renderer/inspector/jwt.js';
import { mask, redactText } from '../../renderer/inspector/secrets.js';
import { filterTrace } from '../../renderer/inspector/trace-filter.js';
import type { TraceEvent } from '../../renderer/inspector/types.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: Record<string, unknown>) => `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url(payload)}.c2ln`;

describe('JWT decoding for display', () => {
  it('decodes header and payload, including non-ASCII claims', () => {
    const token = jwt({ sub: 'u-1', name: 'Zoë', exp: 1_900_000_000 });
    expect(decodeJwt(token)).toEqual({ raw: token, header: { alg: 'RS256', kid: 'k1' }, payload: { sub: 'u-1', name: 'Zoë', exp: 1_900_000_000 } });
    expect(base64UrlDecode(Buffer.from('?>?>').toString('base64url'))).toBe('?>?>');
  });

  it('finds each JWT once in bodies, cookies and fragments, and ignores look-alikes', () => {
    const a = jwt({ sub: 'a' });
    const b = jwt({ sub: 'b' });
    const found = findJwts([`{"token":"${a}"}`, `http://store.localhost/oauth-redirect#access_token=${b}&state=x`, a, 'eyJnotajwt', undefined]);
    expect(found.map((j) => j.payload.sub)).toEqual(['a', 'b']);
    expect(decodeJwt('eyJ.eyJ.x')).toBeUndefined();
  });
});

describe('presenter masking', () => {
  it('hides tokens in text but keeps the rest readable', () => {
    const token = jwt({ sub: 'a' });
    const text = redactText(`{"refreshToken":"abc123","user":"demo"} #access_token=${token}&state=s`);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain(token);
    expect(text).toContain('"user":"demo"');
    expect(text).toContain('state=s');
    expect(mask('secret')).toBe('•••••• (6 chars)');
  });
});

describe('countdowns on the server clock', () => {
  it('reads as the audience would say it', () => {
    expect(duration(45_000)).toBe('45s');
    expect(duration(598_000)).toBe('9m 58s');
    expect(duration(3_720_000)).toBe('1h 02m');
    expect(countdown(10_000, 0)).toEqual({ text: 'in 10s', expired: false, soon: true });
    expect(countdown(0, 61_000)).toEqual({ text: 'expired 1m 01s ago', expired: true, soon: false });
    expect(countdown(undefined, 0).text).toBe('session cookie (until the browser closes)');
    // A 70-year SSO cookie reads as years, not as 25549d.
    expect(countdown(25_549 * 86_400_000, 0).text).toBe('in 70 years');
    expect(duration(90 * 86_400_000)).toBe('3 months');
    expect(duration(20 * 86_400_000 + 3 * 3_600_000)).toBe('20d 3h');
  });
});

describe('trace filter', () => {
  const events: TraceEvent[] = [
    { id: 1, time: 0, type: 'exchange', actor: 'browser', origin: 'store', method: 'GET', url: 'http://store.localhost/', path: '/', requestCookies: {}, status: 200, setCookies: [], durationMs: 1, caused: [] },
    { id: 2, time: 0, type: 'exchange', actor: 'store-backend', origin: 'login', method: 'POST', url: 'http://login.localhost/api/login', path: '/api/login', requestCookies: {}, status: 200, setCookies: [], durationMs: 1, caused: [] },
    { id: 3, time: 0, type: 'session.created', system: 'store', data: {} },
    { id: 4, time: 0, type: 'idp.refresh.issued', system: 'idp', data: {} },
  ];
  it('filters by origin (internal events by their system) and by actor', () => {
    expect(filterTrace(events, { origin: 'store', actor: '' }).map((e) => e.id)).toEqual([1, 3]);
    expect(filterTrace(events, { origin: 'login', actor: '' }).map((e) => e.id)).toEqual([2, 4]);
    expect(filterTrace(events, { origin: '', actor: 'internal' }).map((e) => e.id)).toEqual([3, 4]);
    expect(filterTrace(events, { origin: 'login', actor: 'store-backend' }).map((e) => e.id)).toEqual([2]);
  });
});
