import type { Express } from 'express';
import type http from 'node:http';
import type { ErrorBody } from './errors.js';
import { roleForHost, type HostRole } from './hosts.js';

/**
 * The loopback server's one routing decision: the Host header names an origin served here (and our port), or the
 * answer is 421. A DNS-rebinding page, a bare IP or a foreign name never reaches an origin's app.
 */
export function hostRouter(port: number, origins: Partial<Record<HostRole, Express>>): http.RequestListener {
  const served = Object.keys(origins) as HostRole[];
  const refusal: ErrorBody = {
    error: { code: 'unknown_host', message: `Loginscope answers only its own origins (${served.map((r) => `${r}.localhost:${port}`).join(', ')}).` },
  };
  const body = JSON.stringify(refusal);
  return (req, res) => {
    const role = roleForHost(req.headers.host, port, served);
    const app = role && origins[role];
    if (app) return void app(req, res);
    res.writeHead(421, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  };
}
