import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HostRole } from '../hosts.js';
import type { TraceBus } from './bus.js';
import { runInExchange } from './context.js';
import { parseCookieHeader } from './cookies.js';
import { keptRequestHeaders } from './request-headers.js';
import { summariseBody } from './summary.js';
import { ACTOR_HEADER, ATTACK_HEADER, type ExchangeEvent } from './types.js';

const UNTRACED_PATHS = /^\/(assets\/|favicon|healthz$|loginscope\/events$|@vite|@fs|@id|node_modules\/|src\/)/;

function captureBody(res: Response): () => Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > 8192) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    chunks.push(buf);
    size += buf.length;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as Response['end'];
  return () => Buffer.concat(chunks);
}

/** What an exchange carried, summarised for the trace (may throw on a hostile body; the caller catches). */
function details(req: Request, res: Response, responseBytes: Buffer): Partial<ExchangeEvent> {
  const setCookie = res.getHeader('set-cookie');
  const contentType = res.getHeader('content-type')?.toString();
  const location = res.getHeader('location')?.toString();
  const requestBody = summariseBody(req.body, req.get('content-type'));
  const responseBody = summariseBody(responseBytes, contentType);
  return {
    ...(requestBody !== undefined && { requestBody }),
    setCookies: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie.map(String) : [String(setCookie)],
    ...(location !== undefined && { location }),
    ...(responseBody !== undefined && { responseBody }),
    ...(contentType !== undefined && { contentType }),
  };
}

/**
 * Records every exchange through the loopback server as one trace event and runs the handler inside it,
 * so what the handler causes (sessions, identity-server calls) is tied to it.
 * The inspector's own traffic and static assets are not part of any workflow and are left out;
 * backend-to-identity-server calls are recorded by the FusionAuth client, which sees them in every mode.
 */
export function traceRecorder(bus: TraceBus, origin: HostRole): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const actor = bus.actorOf(req.get(ACTOR_HEADER));
    if (origin === 'inspector' || UNTRACED_PATHS.test(req.path) || actor === 'store-backend' || actor === 'forum-backend') {
      return next();
    }
    const started = bus.reserveExchange();
    const startedAt = performance.now();
    // Taken now: routers rewrite req.url and req.path while the request travels through mounted apps.
    const url = `http://${req.headers.host}${req.originalUrl}`;
    const path = req.originalUrl.split('?')[0]!;
    const requestCookies = parseCookieHeader(req.headers.cookie);
    const requestHeaders = keptRequestHeaders(req.headers);
    const body = captureBody(res);
    const attack = actor === 'attacker' ? req.get(ATTACK_HEADER) : undefined;
    // 'close' comes after 'finish', and also when the client gives up: every started exchange is published once.
    // Whatever goes wrong while summarising, the exchange is still published, and nothing is thrown: this runs
    // after the answer, where an exception would end the whole process.
    res.once('close', () => {
      const base: Omit<ExchangeEvent, 'caused' | 'type'> = {
        id: started.id,
        time: started.time,
        ...(started.correlationId !== undefined && { correlationId: started.correlationId }),
        actor,
        origin,
        method: req.method,
        url,
        path,
        requestCookies,
        requestHeaders,
        ...(attack !== undefined && { attack }),
        status: res.writableFinished ? res.statusCode : 499,
        setCookies: [],
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      };
      try {
        bus.publishExchange({ ...base, ...details(req, res, body()) });
      } catch (err) {
        console.error(`Trace recorder could not summarise exchange ${started.id}: ${(err as Error).message}`);
        bus.publishExchange({ ...base, requestBody: '(not recorded: the recorder failed on this exchange)' });
      }
    });
    runInExchange(started.id, next);
  };
}
