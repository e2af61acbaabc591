import { STATUS_CODES } from 'node:http';
import { isExchange, type ExchangeEvent, type TraceEvent } from './types.js';

/**
 * HAR 1.2 export of the trace: the exchanges only (internal events have no HTTP shape).
 * Secrets — cookie and Set-Cookie values, tokens in bodies, URLs and fragments, Authorization — are masked
 * unless the caller asks for them; a HAR file gets shared, and a live session or refresh token in it is a key.
 */

export const MASK = '[masked]';

export interface HarOptions {
  includeSecrets: boolean;
  /** Step numbers of an event, written into each entry's comment. */
  stepsOf?: (eventId: number) => number[];
  creatorVersion?: string;
  comment?: string;
}

interface NameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    queryString: NameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: Array<NameValue & { path?: string; domain?: string; expires?: string; httpOnly?: boolean; secure?: boolean }>;
    headers: NameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

const TOKEN_PARAMS = new Set(['access_token', 'refresh_token', 'id_token', 'token', 'code', 'refreshToken', 'client_secret', 'password']);
const TOKEN_KEY = /token|jwt|secret|password|^sid$|^code$/i;
const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** Recorded request headers whose values are credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

function maskParams(params: URLSearchParams): string {
  for (const key of [...new Set(params.keys())]) if (TOKEN_PARAMS.has(key)) params.set(key, MASK);
  return params.toString();
}

/** A URL with token-carrying query and fragment parameters masked (the implicit grant puts the JWT in the fragment). */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(JWT, MASK);
  }
  const query = maskParams(url.searchParams);
  url.search = query ? `?${query}` : '';
  if (url.hash.length > 1) url.hash = maskParams(new URLSearchParams(url.hash.slice(1)));
  return url.toString().replace(JWT, MASK);
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, TOKEN_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? MASK : maskJson(v)]),
    );
  }
  return typeof value === 'string' ? value.replace(JWT, MASK) : value;
}

/** A body with tokens masked: JSON by key, forms by parameter, anything else by JWT shape. */
export function maskBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(maskJson(JSON.parse(trimmed)));
    } catch {
      // not JSON after all: fall through to the generic masks
    }
  }
  if (/^[\w.%-]+=[^\s]*(&[\w.%-]+=[^\s]*)*$/.test(trimmed)) return maskParams(new URLSearchParams(trimmed));
  return body.replace(JWT, MASK);
}

function parseSetCookie(line: string, includeSecrets: boolean): HarEntry['response']['cookies'][number] {
  const [pair = '', ...attrs] = line.split(';');
  const eq = pair.indexOf('=');
  const cookie: HarEntry['response']['cookies'][number] = { name: pair.slice(0, eq).trim(), value: includeSecrets ? pair.slice(eq + 1).trim() : MASK };
  for (const attr of attrs) {
    const [rawKey = '', ...rest] = attr.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path') cookie.path = value;
    else if (key === 'domain') cookie.domain = value;
    else if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) cookie.expires = new Date(at).toISOString();
    } else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
  }
  return cookie;
}

function maskSetCookieLine(line: string): string {
  const eq = line.indexOf('=');
  const semi = line.indexOf(';');
  return `${line.slice(0, eq + 1)}${MASK}${semi === -1 ? '' : line.slice(semi)}`;
}

/** For exchanges recorded before request headers were kept (or sent without a Content-Type). */
function requestMimeType(body: string): string {
  const t = body.trim();
  return t.startsWith('{') || t.startsWith('[') ? 'application/json' : 'application/x-www-form-urlencoded';
}

function entry(e: ExchangeEvent, options: HarOptions): HarEntry {
  const secret = options.includeSecrets;
  const url = secret ? e.url : maskUrl(e.url);
  const cookies = Object.entries(e.requestCookies).map(([name, value]) => ({ name, value: secret ? value : MASK }));
  const requestHeaders: NameValue[] = [{ name: 'Host', value: new URL(e.url).host }];
  if (cookies.length) requestHeaders.push({ name: 'Cookie', value: cookies.map((c) => `${c.name}=${c.value}`).join('; ') });
  for (const [name, value] of Object.entries(e.requestHeaders ?? {})) {
    requestHeaders.push({ name, value: SECRET_HEADERS.has(name) && !secret ? MASK : value });
  }
  const requestBody = e.requestBody === undefined ? undefined : secret ? e.requestBody : maskBody(e.requestBody);
  const requestType = e.requestHeaders?.['content-type'] ?? (requestBody === undefined ? undefined : requestMimeType(requestBody));
  if (requestType !== undefined && !e.requestHeaders?.['content-type']) requestHeaders.push({ name: 'Content-Type', value: requestType });

  const responseHeaders: NameValue[] = [];
  if (e.contentType) responseHeaders.push({ name: 'Content-Type', value: e.contentType });
  for (const line of e.setCookies) responseHeaders.push({ name: 'Set-Cookie', value: secret ? line : maskSetCookieLine(line) });
  const location = e.location === undefined ? undefined : secret ? e.location : maskUrl(e.location);
  if (location !== undefined) responseHeaders.push({ name: 'Location', value: location });
  const responseBody = e.responseBody === undefined ? undefined : secret ? e.responseBody : maskBody(e.responseBody);

  const steps = options.stepsOf?.(e.id) ?? [];
  const query = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: new Date(e.time).toISOString(),
    time: e.durationMs,
    request: {
      method: e.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies,
      headers: requestHeaders,
      queryString: query,
      ...(requestBody !== undefined && { postData: { mimeType: requestType ?? 'x-unknown', text: requestBody } }),
      headersSize: -1,
      bodySize: requestBody === undefined ? 0 : Buffer.byteLength(requestBody),
    },
    response: {
      status: e.status,
      statusText: STATUS_CODES[e.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: e.setCookies.map((line) => parseSetCookie(line, secret)),
      headers: responseHeaders,
      content: {
        size: responseBody === undefined ? 0 : Buffer.byteLength(responseBody),
        mimeType: e.contentType ?? 'x-unknown',
        ...(responseBody !== undefined && { text: responseBody }),
      },
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    comment: [`${e.actor} → ${e.origin}`, steps.length ? `steps ${steps.join(', ')}` : undefined].filter(Boolean).join('; '),
  };
}

/** The trace as a HAR 1.2 document. Bodies are the trace's summaries (HTML pages by size), not full payloads. */
export function traceToHar(events: readonly TraceEvent[], options: HarOptions): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'Loginscope', version: options.creatorVersion ?? '0' },
      entries: events.filter(isExchange).map((e) => entry(e, options)),
      comment: [options.comment, options.includeSecrets ? 'Secrets included.' : 'Cookie values and tokens masked.'].filter(Boolean).join(' '),
    },
  };
}
