import express from 'express';
import { z } from 'zod';
import type { ObservedExchange } from '../../main/ipc-contract.js';
import type { AppServices } from '../app/app-services.js';
import type { LoginscopeContext } from '../context.js';
import type { Demo } from '../demo.js';
import { sendError } from '../errors.js';
import { checkIdentityConnection } from '../fusionauth/connection-check.js';
import type { AppId } from '../hosts.js';
import { identityStatus } from './identity-status.js';

/** Electron's webRequest report of one response from the external FusionAuth (main/ipc-contract.ts ObservedExchange). */
const observedExchange = z
  .object({
    source: z.literal('electron'),
    partition: z.string().min(1).max(200),
    time: z.number().finite().nonnegative(),
    method: z.string().regex(/^[A-Z]{3,10}$/, 'must be an HTTP method in capitals'),
    url: z.url({ protocol: /^https?$/ }).max(8192),
    status: z.number().int().min(100).max(599),
    resourceType: z.string().max(64),
    initiator: z.string().max(2048).optional(),
    setCookies: z.array(z.string().max(8192)).max(50),
    location: z.string().max(8192).optional(),
  })
  .strict();

// The schema and the contract type must stay one shape.
type Parsed = z.output<typeof observedExchange>;
const _sameShape: [Parsed extends ObservedExchange ? true : false, ObservedExchange extends Parsed ? true : false] = [true, true];
void _sameShape;

/**
 * Inspector routes about the identity server (mounted in api.ts, behind the launch token):
 * - `POST /api/identity/check`: run the connection check now → `{ ok, fatal, checkedAt, url, problems: [{ check, app?, message }] }`;
 *   the last result is also in `GET /api/state` under `identity.check`.
 * - `POST /api/trace/observed`: Electron's feed of browser↔FusionAuth responses it saw (web mode cannot see them);
 *   each becomes a trace exchange (actor browser, origin external) so the steps light up.
 */
export function createIdentityApi(ctx: LoginscopeContext, demo: Demo, apps: Record<AppId, AppServices>): express.Router {
  const api = express.Router();
  const settings = apps.store.settings;

  api.post('/identity/check', async (_req, res, next) => {
    try {
      const result = await checkIdentityConnection({ settings, port: ctx.port, actorHeader: ctx.bus.actorHeader('store-backend') });
      identityStatus(ctx).lastCheck = result;
      res.json(result);
    } catch (err) {
      next(err);
    }
  });

  api.post('/trace/observed', (req, res) => {
    if (ctx.config.identity.kind !== 'fusionauth') {
      return sendError(res, 409, 'embedded_identity', 'The embedded identity server is traced directly; only traffic to an external FusionAuth is reported here.');
    }
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return sendError(res, 400, 'invalid_observed_exchange', 'body must be one JSON object: { source: "electron", partition, time, method, url, status, resourceType, setCookies, initiator?, location? }.');
    }
    const parsed = observedExchange.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(res, 400, 'invalid_observed_exchange', `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
    }
    const seen = parsed.data;
    const url = new URL(seen.url);
    const identityOrigin = new URL(settings.publicUrl).origin;
    if (url.origin !== identityOrigin) {
      return sendError(res, 400, 'not_identity_origin', `url must be on the configured FusionAuth (${identityOrigin}); ${url.origin} is not.`);
    }
    const status = identityStatus(ctx);
    status.observedSince ??= ctx.clock.now();
    const started = ctx.bus.reserveExchange();
    ctx.bus.publishExchange({
      id: started.id,
      time: started.time,
      actor: 'browser',
      origin: 'external',
      method: seen.method,
      url: seen.url,
      path: url.pathname,
      requestCookies: {},
      status: seen.status,
      setCookies: seen.setCookies,
      ...(seen.location !== undefined && { location: seen.location }),
      durationMs: 0,
    });
    res.status(201).json({ id: started.id, steps: demo.matcher.stepsOf(started.id) });
  });

  return api;
}
