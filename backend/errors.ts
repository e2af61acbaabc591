import type { ErrorRequestHandler, Response } from 'express';

/** The one error shape that crosses HTTP: `{ error: { code, message } }` with the right status. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function sendError(res: Response, status: number, code: string, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  res.status(status).json(body);
}

/** Last handler of every Express app: body-parser failures become the JSON shape; nothing leaks a stack. */
export const jsonErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', 'The request body is not valid JSON.');
  if (e.type === 'entity.too.deep') return sendError(res, 400, 'invalid_json', e.message ?? 'The JSON body is nested too deeply.');
  if (e.type === 'entity.too.large') return sendError(res, 413, 'body_too_large', 'The request body is too large.');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendError(res, e.status, 'bad_request', e.message ?? 'Bad request.');
  }
  console.error('Unhandled error:', e.message ?? err);
  sendError(res, 500, 'internal', 'Something went wrong inside Loginscope.');
};
