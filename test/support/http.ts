import { CookieJar } from 'tough-cookie';
import { request, type Dispatcher } from 'undici';
import { localhostAgent } from '../../backend/localhost-dispatcher.js';

const agent = localhostAgent();

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = unknown>(): T;
  setCookies: string[];
  location?: string;
}

export interface RequestOptions {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
}

/**
 * A browser-like HTTP client over real loopback: a tough-cookie jar (host-only, SameSite, Path rules),
 * no automatic redirects (tests follow them on purpose, as the seed's steps do).
 */
export class Browser {
  readonly jar = new CookieJar();

  async fetch(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const res = await request(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, dispatcher: agent });
    const text = await res.body.text();
    const raw = res.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    for (const line of setCookies) await this.jar.setCookie(line, url, { ignoreError: false });
    const location = res.headers.location;
    return {
      status: res.statusCode,
      headers: res.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
      setCookies,
      ...(typeof location === 'string' && { location }),
    };
  }

  async cookies(url: string) {
    return this.jar.getCookies(url);
  }
}
