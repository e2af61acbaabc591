import type { RequestHandler } from 'express';

/**
 * Headers every response from our origins carries. The CSP lets a page run only its own bundled scripts and talk
 * only to its own origin; `extraImgSrc` loosens image loads while the demo's injected-script switch is on.
 */
export function securityHeaders(options: { dev: boolean; extraImgSrc?: () => string[] } = { dev: false }): RequestHandler {
  const connect = ["'self'", ...(options.dev ? ['ws:'] : [])].join(' ');
  const csp = (extraImg: string[]) =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      ["img-src 'self' data:", ...extraImg].join(' '),
      `connect-src ${connect}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; ');
  const fixed = csp([]);
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', options.extraImgSrc ? csp(options.extraImgSrc()) : fixed);
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
