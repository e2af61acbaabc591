import { STATUS_CODES } from 'node:http';
import { isPlumbing } from './plumbing.js';
import { isExchange, type ExchangeEvent, type TraceEvent } from './types.js';

/**
 * HAR 1.2 export of the trace: the exchanges only (internal events have no HTTP shape).
 * Secrets — cookie and Set-Cookie values, tokens in bodies, URLs and fragments, Authorization — are masked
 * unless the caller asks for them; a HAR file gets shared, and a live session or refresh token in it is a key.
 * Loginscope's own calls (plumbing.ts) are left out unless asked for: they are not the app's traffic.
 */

export const MASK = '[masked]';

export interface HarOptions {
  includeSecrets: boolean;
  /** Keep the SPAs' calls that only Loginscope needs (`/api/workflow`, `/api/ui-events`). */
  includePlumbing?: boolean;
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
    postData?: { mimeType: string; text: string; params?: NameValue[] };
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
/** Urlencoded text (`a=1&b=2`), as opposed to free text that merely has an `=` in it. */
const FORM_TEXT = /^[\w.%-]+=[^\s]*(&[\w.%-]+=[^\s]*)*$/;
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
  if (FORM_TEXT.test(trimmed)) return maskParams(new URLSearchParams(trimmed));
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

const isFormType = (mimeType: string | undefined) => mimeType?.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';

/**
 * The fields of a recorded form body, in the order they were posted. The browser's forms reach the trace already
 * parsed (body-parser's object, so JSON text, repeated fields as arrays); the backends' own form calls as urlencoded
 * text. Undefined when the summary is neither, e.g. JSON cut short at the trace's size limit or the recorder's note
 * that it failed on the exchange.
 */
function formFields(body: string): NameValue[] | undefined {
  const trimmed = body.trim();
  if (FORM_TEXT.test(trimmed)) return [...new URLSearchParams(trimmed)].map(([name, value]) => ({ name, value }));
  if (!trimmed.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return Object.entries(parsed as Record<string, unknown>).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: typeof v === 'string' ? v : JSON.stringify(v) })),
  );
}

/** A form field's value masked by the same rules as form and JSON bodies: token-like names, and JWTs anywhere. */
function maskField({ name, value }: NameValue): NameValue {
  return { name, value: TOKEN_PARAMS.has(name) || TOKEN_KEY.test(name) ? MASK : value.replace(JWT, MASK) };
}

/** HAR's postData: a form as its fields (`params`) plus the urlencoded text they make; any other body as text. */
function postData(body: string, mimeType: string, secret: boolean): NonNullable<HarEntry['request']['postData']> {
  const fields = isFormType(mimeType) ? formFields(body) : undefined;
  if (!fields) return { mimeType, text: secret ? body : maskBody(body) };
  const params = secret ? fields : fields.map(maskField);
  return { mimeType, text: new URLSearchParams(params.map((p): [string, string] => [p.name, p.value])).toString(), params };
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
  const requestType = e.requestHeaders?.['content-type'] ?? (e.requestBody === undefined ? undefined : requestMimeType(e.requestBody));
  if (requestType !== undefined && !e.requestHeaders?.['content-type']) requestHeaders.push({ name: 'Content-Type', value: requestType });
  const requestPost = e.requestBody === undefined ? undefined : postData(e.requestBody, requestType ?? 'x-unknown', secret);

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
      ...(requestPost !== undefined && { postData: requestPost }),
      headersSize: -1,
      bodySize: requestPost === undefined ? 0 : Buffer.byteLength(requestPost.text),
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
      entries: events.filter(isExchange).filter((e) => options.includePlumbing || !isPlumbing(e)).map((e) => entry(e, options)),
      comment: [
        options.comment,
        options.includeSecrets ? 'Secrets included.' : 'Cookie values and tokens masked.',
        options.includePlumbing ? undefined : "Loginscope's own calls (which workflow is active, what a page rendered) left out.",
      ]
        .filter(Boolean)
        .join(' '),
    },
  };
}
