import type { RequestHandler } from 'express';
import type { LoginscopeContext } from '../context.js';
import { sendError } from '../errors.js';

const TEN_YEARS = 10 * 365 * 86400;

/** POST …/clock/advance `{ seconds }`: "a while later" as one request; the one way the inspectors move the clock. */
export function advanceClock(ctx: Pick<LoginscopeContext, 'clock' | 'bus'>): RequestHandler {
  return (req, res) => {
    const seconds = (req.body as { seconds?: unknown } | undefined)?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > TEN_YEARS) {
      return sendError(res, 400, 'invalid_seconds', '`seconds` must be a positive number of seconds (at most ten years).');
    }
    ctx.clock.advance(seconds * 1000);
    ctx.bus.emit('clock.advanced', 'loginscope', { seconds });
    res.json({ now: ctx.clock.now() });
  };
}
