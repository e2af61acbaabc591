import type { Express } from 'express';
import type http from 'node:http';
import type { ErrorBody } from './errors.js';
import { roleForHost, type HostRole } from './hosts.js';

function sendJson(res: http.ServerResponse, status: number, body: ErrorBody, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/**
 * RFC 9112 §3.2: besides the usual origin form (`/path`), a server must accept the absolute form
 * (`http://host/path`), whose authority then wins over the Host header. It is brought to the origin form here,
 * once, so no origin's app ever sees a target that does not start with `/`. Anything else is unusable: undefined.
 */
function originForm(req: http.IncomingMessage): string | undefined {
  const target = req.url ?? '';
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    req.headers.host = url.host;
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

/**
 * The loopback server's one routing decision: the Host header names an origin served here (and our port), or the
 * answer is 421. A DNS-rebinding page, a bare IP or a foreign name never reaches an origin's app.
 */
export function hostRouter(port: number, origins: Partial<Record<HostRole, Express>>): http.RequestListener {
  const served = Object.keys(origins) as HostRole[];
  const refusal: ErrorBody = {
    error: { code: 'unknown_host', message: `Loginscope answers only its own origins (${served.map((r) => `${r}.localhost:${port}`).join(', ')}).` },
  };
  return (req, res) => {
    // `OPTIONS *` asks about the server as a whole: what every origin allows.
    if (req.method === 'OPTIONS' && req.url === '*') return void res.writeHead(204, { allow: 'GET, HEAD, POST, DELETE, OPTIONS' }).end();
    const target = originForm(req);
    if (target === undefined) {
      return sendJson(res, 400, { error: { code: 'invalid_request_target', message: 'The request target must be a path starting with / (or an absolute http URL).' } });
    }
    req.url = target;
    const role = roleForHost(req.headers.host, port, served);
    const app = role && origins[role];
    if (app) return void app(req, res);
    sendJson(res, 421, refusal);
  };
}
