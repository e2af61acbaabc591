import express, { type Response } from 'express';
import type { AppServices } from '../app/app-services.js';
import type { LoginscopeContext } from '../context.js';
import type { Demo, ExpireKind } from '../demo.js';
import { sendError } from '../errors.js';
import { openEventStream } from '../event-stream.js';
import { APPS, type AppId } from '../hosts.js';
import type { IdentityServer } from '../idp/identity-server.js';
import { traceToHar } from '../trace/har.js';
import { withPlumbingFlag } from '../trace/plumbing.js';
import { isWorkflowId } from '../workflows/catalogue.js';
import { observedCookies } from './cookie-view.js';
import { createIdentityApi } from './identity-api.js';
import { advanceClock } from './clock-route.js';
import { inspectorState } from './state.js';
import { ATTACK_MODES, type AttackOptions } from '../attacks/types.js';
import { DEFENCE_IDS, DEFENCES } from '../defences/catalogue.js';
import { DefenceUnavailableError, type DefenceSettings } from '../defences/defences.js';

type AttackMode = NonNullable<AttackOptions['mode']>;

const EXPIRE_KINDS: ExpireKind[] = ['session', 'refresh-token', 'sso-session'];

type Body = Record<string, unknown>;
const bodyOf = (req: express.Request): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});

/** The inspector API (contract in design.md); every route sits behind the launch token (inspector-origin.ts). */
export function createInspectorApi(ctx: LoginscopeContext, demo: Demo, apps: Record<AppId, AppServices>, identity: IdentityServer | undefined): express.Router {
  const api = express.Router();
  api.use(createIdentityApi(ctx, demo, apps));

  api.get('/state', (_req, res) => {
    res.json(inspectorState(ctx, demo, apps, identity));
  });

  api.get('/trace', (_req, res) => {
    res.json({ events: ctx.bus.list().map((event) => ({ ...withPlumbingFlag(event), steps: demo.matcher.stepsOf(event.id) })) });
  });

  api.get('/trace.har', (req, res) => {
    // `include` lists what the default export leaves out: `secrets`, `plumbing`, repeated or comma-separated.
    const include = new Set([req.query.include].flat().flatMap((v) => (typeof v === 'string' ? v.split(',') : [])));
    const includeSecrets = include.has('secrets');
    const har = traceToHar(ctx.bus.list(), { includeSecrets, includePlumbing: include.has('plumbing'), stepsOf: (id) => demo.matcher.stepsOf(id), comment: `Workflow: ${demo.workflow.title}.` });
    res.setHeader('content-disposition', `attachment; filename="loginscope-${demo.workflow.id}${includeSecrets ? '-with-secrets' : ''}.har"`);
    res.type('application/json').send(JSON.stringify(har, null, 2));
  });

  api.get('/events', (req, res: Response) => {
    const stops: Array<() => void> = [];
    const send = openEventStream(req, res, () => stops.forEach((stop) => stop()));
    if (!send) return;
    stops.push(
      ctx.bus.subscribe((event) => send('trace', withPlumbingFlag(event))),
      demo.matcher.onHits((hits) => send('steps', hits)),
    );
  });

  api.post('/workflow', (req, res) => {
    const id = bodyOf(req).id;
    if (!isWorkflowId(id)) return sendError(res, 400, 'unknown_workflow', 'id must be one of native-refresh, implicit-session.');
    demo.switchWorkflow(id);
    res.json({ workflow: id });
  });

  api.post('/reset', (_req, res) => {
    demo.reset();
    res.json({ workflow: demo.workflow.id });
  });

  api.post('/clock/advance', advanceClock(ctx));

  api.post('/expire', (req, res) => {
    const { kind, app, id } = bodyOf(req);
    if (!EXPIRE_KINDS.includes(kind as ExpireKind)) return sendError(res, 400, 'invalid_kind', `kind must be one of ${EXPIRE_KINDS.join(', ')}.`);
    if (app !== undefined && !APPS.includes(app as AppId)) return sendError(res, 400, 'invalid_app', 'app must be store or forum.');
    if (id !== undefined && typeof id !== 'string') return sendError(res, 400, 'invalid_id', 'id must be a string.');
    if (kind !== 'session' && !identity) return sendError(res, 409, 'external_identity', 'A real FusionAuth decides its own token and SSO expiry.');
    if (kind === 'sso-session' && app !== undefined) return sendError(res, 400, 'invalid_app', 'An SSO session belongs to the identity server, not to one app: leave app out.');
    res.json({ expired: demo.expire(kind as ExpireKind, app as AppId | undefined, id as string | undefined) });
  });

  api.post('/attacks/:id', async (req, res) => {
    const { copyUserAgent, mode, ...rest } = bodyOf(req);
    if (Object.keys(rest).length > 0 || (copyUserAgent !== undefined && typeof copyUserAgent !== 'boolean') || (mode !== undefined && !ATTACK_MODES.includes(mode as AttackMode))) {
      return sendError(res, 400, 'invalid_attack_options', `The body may carry copyUserAgent (a boolean) and mode (one of ${ATTACK_MODES.join(', ')}).`);
    }
    const outcome = await demo.attack(req.params.id, { ...(copyUserAgent !== undefined && { copyUserAgent }), ...(mode !== undefined && { mode: mode as AttackMode }) });
    if (!outcome) return sendError(res, 404, 'unknown_attack', `No attack ${req.params.id} in ${demo.workflow.id}; try ${demo.attackIds().map((a) => a.id).join(', ')}.`);
    res.json(outcome);
  });

  api.post('/switches', (req, res) => {
    const body = bodyOf(req);
    const keys = Object.keys(body);
    // Own keys only: `toString` or `hasOwnProperty` are in every object, but they are not switches.
    if (keys.length === 0 || !keys.every((k) => Object.hasOwn(demo.switches, k) && typeof body[k] === 'boolean')) {
      return sendError(res, 400, 'invalid_switches', `Send booleans for any of: ${Object.keys(demo.switches).join(', ')}.`);
    }
    Object.assign(demo.switches, body);
    res.json({ switches: demo.switches });
  });

  api.post('/defences', (req, res) => {
    const body = bodyOf(req);
    const keys = Object.keys(body);
    // Own keys only (as for the switches): `toString` is in every object, but it is no defence.
    if (keys.length === 0 || !keys.every((k) => Object.hasOwn(DEFENCES, k) && typeof body[k] === 'boolean')) {
      return sendError(res, 400, 'invalid_defences', `Send booleans for any of: ${DEFENCE_IDS.join(', ')}.`);
    }
    try {
      res.json({ defences: demo.defences.set(body as Partial<DefenceSettings>) });
    } catch (err) {
      if (err instanceof DefenceUnavailableError) return sendError(res, 409, 'defence_unavailable', err.message);
      throw err;
    }
  });

  api.get('/identity', (_req, res) => {
    if (!identity) return sendError(res, 404, 'external_identity', 'A real FusionAuth is configured; there is no embedded identity server.');
    const { publicUrl, apiKey, applications } = identity.info;
    res.json({ publicUrl, apiKey, applications: { store: { id: applications.store.id }, forum: { id: applications.forum.id } } });
  });

  api.post('/cookies/observed', (req, res) => {
    const parsed = observedCookies.safeParse(bodyOf(req).cookies);
    if (!parsed.success) return sendError(res, 400, 'invalid_cookies', 'cookies must be an array (at most 2,000) of { name, value, domain, path, secure, httpOnly, sameSite, … }.');
    demo.setElectronJar(parsed.data);
    res.status(204).end();
  });

  return api;
}
