import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { jsonErrorHandler } from '../errors.js';
import type { Idp } from './idp.js';
import { parseCookieHeader } from '../trace/cookies.js';

/** FusionAuth's Errors object: `{ fieldErrors: { field: [{code, message}] }, generalErrors: [...] }`. */
export interface FusionAuthErrors {
  fieldErrors: Record<string, Array<{ code: string; message: string }>>;
  generalErrors: Array<{ code: string; message: string }>;
}

export function fieldError(field: string, code: string, message: string): FusionAuthErrors {
  return { fieldErrors: { [field]: [{ code: `[${code}]${field}`, message }] }, generalErrors: [] };
}

export function generalError(code: string, message: string): FusionAuthErrors {
  return { fieldErrors: {}, generalErrors: [{ code, message }] };
}

/** FusionAuth answers 401, 404, 410 and 423 with an empty body. */
export function sendEmpty(res: Response, status: number): void {
  res.status(status).end();
}

/** The API key goes in `Authorization` as it is, with no `Bearer` prefix; anything else is 401 with no body. */
export function requireApiKey(idp: Idp): RequestHandler {
  const expected = Buffer.from(idp.apiKey);
  return (req, res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    sendEmpty(res, 401);
  };
}

/** One tenant: an `X-FusionAuth-TenantId` naming another is a bad request, as in a multi-tenant FusionAuth. */
export function checkTenantHeader(idp: Idp): RequestHandler {
  return (req, res, next) => {
    const tenantId = req.get('x-fusionauth-tenantid');
    if (tenantId === undefined || tenantId === idp.directory.tenant.id) return next();
    res.status(400).json(generalError('[invalid]tenantId', `The tenant Id [${tenantId}] is not valid.`));
  };
}

/** Unparseable JSON on a FusionAuth API gets FusionAuth's error shape; everything else the common handler. */
export const fusionAuthErrorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  const type = (err as { type?: string }).type;
  if (!res.headersSent && (type === 'entity.parse.failed' || type === 'entity.too.deep')) {
    res.status(400).json(generalError('[invalidJSON]', 'Unable to parse the JSON request body. It is malformed or is not a JSON object.'));
    return;
  }
  jsonErrorHandler(err, req, res, next);
};

/** A JSON body as a plain object (an array, a string or nothing count as an empty request). */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * FusionAuth's own `access_token` (session cookie) and `refresh_token` (persistent, Max-Age = the configured TTL)
 * cookies, HttpOnly and SameSite=Lax on the identity server's host, set by the Login and Refresh APIs.
 */
export function setTokenCookies(idp: Idp, res: Response, accessToken: string, refreshToken: string | undefined): void {
  const base: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure: idp.ctx.config.secureCookies };
  res.cookie('access_token', accessToken, base);
  if (refreshToken) res.cookie('refresh_token', refreshToken, { ...base, maxAge: idp.policy.timeToLiveInMinutes * 60_000 });
}

/** A cookie of the request, URL-decoded where it can be (FusionAuth's own cookies are read both ways). */
export function cookieValue(req: Request, name: string): string | undefined {
  const raw = parseCookieHeader(req.headers.cookie)[name];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
