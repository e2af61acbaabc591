import express from 'express';
import type { LoginscopeContext } from '../context.js';
import { sendError } from '../errors.js';

/** The inspector API (contract in design.md): state, live events, clock. */
export function createInspectorApi(ctx: LoginscopeContext): express.Router {
  const api = express.Router();
  api.get('/state', (_req, res) => {
    res.json({ workflow: ctx.config.workflow, now: ctx.clock.now() });
  });
  api.post('/clock/advance', (req, res) => {
    const seconds = (req.body as { seconds?: unknown } | undefined)?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 10 * 365 * 86400) {
      return sendError(res, 400, 'invalid_seconds', '`seconds` must be a positive number of seconds (at most ten years).');
    }
    ctx.clock.advance(seconds * 1000);
    ctx.bus.emit('clock.advanced', 'loginscope', { seconds });
    res.json({ now: ctx.clock.now() });
  });
  return api;
}
