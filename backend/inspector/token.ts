import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from '../errors.js';

export function newInspectorToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The inspector API answers only a caller holding this launch's token (Bearer header, or `?token=` for EventSource). */
export function requireInspectorToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, res, next) => {
    const header = req.get('authorization');
    const presented = header?.startsWith('Bearer ') ? header.slice(7) : typeof req.query.token === 'string' ? req.query.token : undefined;
    const given = Buffer.from(presented ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return sendError(res, 401, 'inspector_token_required', 'The inspector API needs this launch’s token (Authorization: Bearer <token>).');
    }
    next();
  };
}
