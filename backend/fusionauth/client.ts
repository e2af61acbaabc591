import { request, type Dispatcher } from 'undici';
import { localhostAgent } from '../localhost-dispatcher.js';
import type { TraceBus } from '../trace/bus.js';
import { keptRequestHeaders } from '../trace/request-headers.js';
import { summariseBody } from '../trace/summary.js';
import { ACTOR_HEADER, type Actor } from '../trace/types.js';
import { FusionAuthError } from './errors.js';
import { EXCHANGE_HEADER } from './trace-headers.js';
import type {
  JWT,
  JWTRefreshResponse,
  LoginRequest,
  LoginResponse,
  LoginResult,
  RefreshToken,
  RefreshTokenRevocation,
  User,
  UserResponse,
} from './types.js';

export { FusionAuthError, isRefreshFailure } from './errors.js';

export interface FusionAuthClientOptions {
  /** Where server-to-server calls go (FusionAuth's internal URL; `http://login.localhost:<port>` for the embedded one). */
  baseUrl: string;
  apiKey: string;
  tenantId?: string;
  /** Who the calls are made for, in the trace. */
  actor: Actor;
  bus: TraceBus;
  /** 'login' for the embedded identity server, 'external' for a real FusionAuth. */
  traceOrigin: 'login' | 'external';
  /** Defaults to the loopback dispatcher (Node here cannot resolve `*.localhost`). */
  dispatcher?: Dispatcher;
  /** Per call, from sending to the last body byte. Default 10 s. */
  timeoutMs?: number;
}

type Auth = 'api-key' | 'anonymous' | { bearer: string };

interface Call {
  method: Dispatcher.HttpMethod;
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  form?: Record<string, string | undefined>;
  auth: Auth;
}

interface Answer {
  status: number;
  body: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const headerList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * FusionAuth's APIs over undici: typed, with a timeout per call, and one error class (FusionAuthError) for every
 * failure. Each call becomes one trace exchange; it carries the actor header so the loopback recorder does not
 * record it a second time.
 */
export class FusionAuthClient {
  private readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;

  constructor(private readonly options: FusionAuthClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.dispatcher = options.dispatcher ?? localhostAgent({ timeoutMs: options.timeoutMs });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** POST /api/login. 2xx answers come back by status; 404 (wrong email or password), 423, 400 and 401 throw. */
  async login(req: LoginRequest): Promise<LoginResult> {
    const { status, body } = await this.call({ method: 'POST', path: '/api/login', json: req, auth: 'api-key' });
    if (!isObject(body)) throw this.malformed(status, body, 'the Login API answered without a JSON object');
    if (status === 200 || status === 202) {
      if (!isObject(body.user)) throw this.malformed(status, body, 'the Login API answered without a user');
      if (body.token !== undefined && typeof body.token !== 'string') throw this.malformed(status, body, 'the Login API answered with a token that is not a string');
      return { status, response: body as unknown as LoginResponse & { user: User } };
    }
    if (status === 203 || status === 212 || status === 213 || status === 242) return { status, response: body };
    throw this.malformed(status, body, `the Login API answered with an unexpected status ${status}`);
  }

  /** POST /api/jwt/refresh. A dead token throws a FusionAuthError with 400 (real FusionAuth) or 404: see isRefreshFailure. */
  async refresh(refreshToken: string, options: { timeToLiveInSeconds?: number } = {}): Promise<JWTRefreshResponse> {
    const { status, body } = await this.call({ method: 'POST', path: '/api/jwt/refresh', json: { refreshToken, ...options }, auth: 'anonymous' });
    if (!isObject(body) || typeof body.token !== 'string' || typeof body.refreshToken !== 'string' || typeof body.refreshTokenId !== 'string') {
      throw this.malformed(status, body, 'the Refresh API answered without token, refreshToken and refreshTokenId');
    }
    return { token: body.token, refreshToken: body.refreshToken, refreshTokenId: body.refreshTokenId };
  }

  /** GET /api/jwt/validate: asks the identity server whether a JWT is valid (401 throws). Returns its claims. */
  async validateJwt(jwt: string): Promise<JWT> {
    const { status, body } = await this.call({ method: 'GET', path: '/api/jwt/validate', auth: { bearer: jwt } });
    if (!isObject(body) || !isObject(body.jwt)) throw this.malformed(status, body, 'the Validate API answered without a jwt');
    return body.jwt as JWT;
  }

  /** GET /api/user/{userId} with the API key (the JWT form is gone from current FusionAuth). */
  async retrieveUser(userId: string): Promise<UserResponse> {
    return this.user(await this.call({ method: 'GET', path: `/api/user/${encodeURIComponent(userId)}`, auth: 'api-key' }));
  }

  /** GET /api/user?email= with the API key. */
  async retrieveUserByEmail(email: string): Promise<UserResponse> {
    return this.user(await this.call({ method: 'GET', path: '/api/user', query: { email }, auth: 'api-key' }));
  }

  /** GET /api/jwt/refresh?userId=: the user's live refresh tokens. */
  async retrieveRefreshTokens(userId: string): Promise<RefreshToken[]> {
    const { status, body } = await this.call({ method: 'GET', path: '/api/jwt/refresh', query: { userId }, auth: 'api-key' });
    if (!isObject(body) || !Array.isArray(body.refreshTokens)) throw this.malformed(status, body, 'the Refresh Token API answered without refreshTokens');
    return body.refreshTokens as RefreshToken[];
  }

  /** GET /api/jwt/refresh/{tokenId}: 404 (thrown) when it is missing, expired or revoked. */
  async retrieveRefreshTokenById(tokenId: string): Promise<RefreshToken> {
    const { status, body } = await this.call({ method: 'GET', path: `/api/jwt/refresh/${encodeURIComponent(tokenId)}`, auth: 'api-key' });
    if (!isObject(body) || !isObject(body.refreshToken)) throw this.malformed(status, body, 'the Refresh Token API answered without a refreshToken');
    return body.refreshToken as RefreshToken;
  }

  /** DELETE /api/jwt/refresh: one token by id or value, a user's (optionally for one application), or an application's. */
  /** `GET /.well-known/jwks.json`: the public keys, fetched as this backend's own traced call (not the browser's). */
  async jwks(): Promise<unknown> {
    return (await this.call({ method: 'GET', path: '/.well-known/jwks.json', auth: 'anonymous' })).body;
  }

  async revokeRefreshToken(target: RefreshTokenRevocation): Promise<void> {
    if ('tokenId' in target) {
      await this.call({ method: 'DELETE', path: `/api/jwt/refresh/${encodeURIComponent(target.tokenId)}`, auth: 'api-key' });
    } else if ('token' in target) {
      // In a form body rather than the query, as FusionAuth suggests, to keep the value out of access logs.
      await this.call({ method: 'DELETE', path: '/api/jwt/refresh', form: { token: target.token }, auth: 'api-key' });
    } else {
      const query = 'userId' in target ? { userId: target.userId, applicationId: target.applicationId } : { applicationId: target.applicationId };
      await this.call({ method: 'DELETE', path: '/api/jwt/refresh', query, auth: 'api-key' });
    }
  }

  private user({ status, body }: Answer): UserResponse {
    if (!isObject(body) || !isObject(body.user)) throw this.malformed(status, body, 'the User API answered without a user');
    return { user: body.user as User };
  }

  private malformed(status: number, body: unknown, message: string): FusionAuthError {
    return new FusionAuthError(status, body, `FusionAuth answer not understood: ${message}.`, 'malformed');
  }

  /** One HTTP call, recorded as one trace exchange whatever happens; error statuses throw FusionAuthError. */
  private async call(c: Call): Promise<Answer> {
    const { bus, actor, traceOrigin, apiKey, tenantId } = this.options;
    const started = bus.reserveExchange();
    const startedAt = performance.now();
    const query = new URLSearchParams(Object.entries(c.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const url = `${this.baseUrl}${c.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', [ACTOR_HEADER]: bus.actorHeader(actor), [EXCHANGE_HEADER]: String(started.id) };
    if (c.auth === 'api-key') headers.authorization = apiKey;
    else if (c.auth !== 'anonymous') headers.authorization = `Bearer ${c.auth.bearer}`;
    if (tenantId) headers['x-fusionauth-tenantid'] = tenantId;
    let requestBody: string | undefined;
    if (c.json !== undefined) {
      headers['content-type'] = 'application/json';
      requestBody = JSON.stringify(c.json);
    } else if (c.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      requestBody = new URLSearchParams(Object.entries(c.form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    }

    const publish = (status: number, extra: { setCookies?: string[]; location?: string; responseBody?: string; contentType?: string } = {}) => {
      const summary = summariseBody(requestBody, headers['content-type']);
      bus.publishExchange({
        id: started.id,
        time: started.time,
        ...(started.correlationId !== undefined && { correlationId: started.correlationId }),
        actor,
        origin: traceOrigin,
        method: c.method,
        url,
        path: c.path,
        requestCookies: {},
        requestHeaders: keptRequestHeaders(headers),
        ...(summary !== undefined && { requestBody: summary }),
        status,
        setCookies: extra.setCookies ?? [],
        ...(extra.location !== undefined && { location: extra.location }),
        ...(extra.responseBody !== undefined && { responseBody: extra.responseBody }),
        ...(extra.contentType !== undefined && { contentType: extra.contentType }),
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      });
    };

    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.timeoutMs);
    let status: number;
    let text: string;
    let responseHeaders: Record<string, string | string[] | undefined>;
    try {
      const res = await request(url, { method: c.method, headers, body: requestBody, dispatcher: this.dispatcher, signal: abort.signal });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      publish(0);
      const code = (err as { code?: string }).code;
      if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new FusionAuthError(0, undefined, `FusionAuth did not answer ${c.method} ${c.path} within ${this.timeoutMs} ms.`, 'timeout', { cause: err });
      }
      throw new FusionAuthError(0, undefined, `FusionAuth could not be reached for ${c.method} ${c.path}: ${(err as Error).message}`, 'network', { cause: err });
    } finally {
      clearTimeout(timer);
    }

    const contentType = responseHeaders['content-type']?.toString();
    const location = responseHeaders.location?.toString();
    publish(status, {
      setCookies: headerList(responseHeaders['set-cookie']),
      ...(location !== undefined && { location }),
      ...(text !== '' && { responseBody: summariseBody(text, contentType) ?? '' }),
      ...(contentType !== undefined && { contentType }),
    });

    let body: unknown;
    if (text !== '') {
      if (!contentType?.includes('json')) {
        if (status >= 200 && status < 300) throw this.malformed(status, text, `${c.method} ${c.path} answered ${contentType ?? 'no content type'}, not JSON`);
        body = text;
      } else {
        try {
          body = JSON.parse(text);
        } catch (err) {
          throw new FusionAuthError(status, text, `FusionAuth answer not understood: ${c.method} ${c.path} sent JSON that does not parse.`, 'malformed', { cause: err });
        }
      }
    }
    if (status < 200 || status >= 300) {
      throw new FusionAuthError(status, body, `FusionAuth answered ${c.method} ${c.path} with ${status}.`);
    }
    return { status, body };
  }
}
