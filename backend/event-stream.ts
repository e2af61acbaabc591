import type { Request, Response } from 'express';

/** How often an idle stream says it is alive, so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15_000;

/**
 * Opens a server-sent event stream on this response and returns its `send`; `undefined` for a HEAD request,
 * which gets the stream's headers and an end (a HEAD must be answered, and a stream never ends by itself).
 * `onClose` runs once when the client goes away.
 */
export function openEventStream(req: Request, res: Response, onClose: () => void): ((kind: string, data: unknown) => void) | undefined {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  if (req.method === 'HEAD') {
    res.end();
    return undefined;
  }
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    onClose();
  });
  return (kind, data) => void res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
}
