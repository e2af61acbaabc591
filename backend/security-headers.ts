import type { RequestHandler } from 'express';

/**
 * Headers every response from our origins carries. The CSP lets a page run only its own bundled scripts;
 * `extraConnect` names other origins a page may call (the inspector's API is same-origin, so none by default).
 */
export function securityHeaders(options: { dev: boolean; extraConnect?: string[] } = { dev: false }): RequestHandler {
  const connect = ["'self'", ...(options.extraConnect ?? []), ...(options.dev ? ['ws:'] : [])].join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  };
}

/** API answers are per user and per moment: never cached. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
