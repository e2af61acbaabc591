import type { RequestHandler } from 'express';
import type { HostRole } from './hosts.js';

/** Every origin answers this; startLoginscope waits for all of them before it reports ready. */
export function health(role: HostRole): RequestHandler {
  return (_req, res) => {
    res.json({ ok: true, origin: role });
  };
}
