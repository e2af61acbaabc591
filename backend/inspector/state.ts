import { decodeJwt, type JWTPayload } from 'jose';
import type { AppServices } from '../app/app-services.js';
import type { LoginscopeContext } from '../context.js';
import type { Demo } from '../demo.js';
import { APPS, HOST_ROLES, type AppId } from '../hosts.js';
import type { IdentityServer } from '../idp/identity-server.js';
import type { SessionView } from '../sessions/session-view.js';
import type { SessionRow } from '../sessions/sqlite-session-store.js';
import { WORKFLOWS } from '../workflows/catalogue.js';
import { DEFENCES } from '../defences/catalogue.js';
import type { CookieView } from './cookie-view.js';
import { identityStatus, stepObservability } from './identity-status.js';


function decode(jwt: string | undefined): JWTPayload | undefined {
  if (!jwt) return undefined;
  try {
    return decodeJwt(jwt);
  } catch {
    return undefined;
  }
}

function sessionView(row: SessionRow): SessionView {
  return {
    sid: row.sid,
    userEmail: row.userEmail,
    origin: row.data.origin,
    createdAt: row.createdAt,
    touchedAt: row.touchedAt,
    idleExpiresAt: row.idleExpiresAt,
    absoluteExpiresAt: row.absoluteExpiresAt,
    endedAt: row.endedAt,
    endReason: row.endReason,
    status: row.endedAt === null ? 'active' : 'ended',
    user: row.data.user,
    jwt: row.data.jwt,
    jwtClaims: decode(row.data.jwt),
  };
}

/** Cookies keyed by our origin's role (`store`, `forum`, `login`, …), other hosts by their name. */
function cookiesByOrigin(byHost: Record<string, CookieView[]>): Record<string, CookieView[]> {
  const out = Object.create(null) as Record<string, CookieView[]>;
  for (const [host, cookies] of Object.entries(byHost)) {
    const role = HOST_ROLES.find((r) => host === `${r}.localhost`);
    out[role ?? host] = cookies;
  }
  return out;
}

/** The most rows of one kind a snapshot carries: a day of demos must not make every state poll megabytes. */
export const STATE_PAGE = 100;

/** The inspector's snapshot: GET /api/state (contract in design.md). */
export function inspectorState(ctx: LoginscopeContext, demo: Demo, apps: Record<AppId, AppServices>, identity: IdentityServer | undefined) {
  const workflow = demo.workflow;
  const stepState = new Map(demo.matcher.states().map((s) => [s.n, s]));
  const cookies = demo.cookies();
  const refreshTokens = identity?.admin.refreshTokens() ?? [];
  const ssoSessions = identity?.admin.ssoSessions() ?? [];
  return {
    workflow: workflow.id,
    workflowTitle: workflow.title,
    workflows: Object.values(WORKFLOWS).map((w) => ({ id: w.id, title: w.title })),
    now: ctx.clock.now(),
    /** How far the clock runs ahead of real time (kept in the data dir across restarts; Reset leaves it). */
    clockOffsetMs: ctx.clock.offset(),
    identity: { kind: ctx.config.identity.kind, publicUrl: apps.store.settings.publicUrl, check: identityStatus(ctx).lastCheck ?? null, observed: identityStatus(ctx).observedSince !== undefined },
    secureCookies: ctx.config.secureCookies,
    /** Where the apps are, for links that open them. */
    appUrls: { store: ctx.urls.store, forum: ctx.urls.forum },
    ttl: ctx.config.ttl,
    steps: workflow.steps.map((s) => {
      const st = stepState.get(s.n)!;
      return { n: s.n, tag: s.tag ?? String(s.n), label: st.lastLabel ?? s.label, phase: s.phase, from: s.from, to: s.to, kind: s.kind, notation: s.notation ?? null, caption: s.caption, seen: st.seen, count: st.count, lastEventId: st.lastEventId, firstSeen: st.firstSeen, ...stepObservability(ctx, s) };
    }),
    /** The guided track of this workflow (backend/workflows/<id>/track.ts). */
    track: workflow.track,
    cookieSource: cookies.source,
    cookies: cookiesByOrigin(cookies.byHost),
    sessions: Object.fromEntries(APPS.map((app) => [app, apps[app].sessions.rows(STATE_PAGE).map(sessionView)])) as Record<AppId, SessionView[]>,
    /** The lists are bounded pages (newest first); these say what each left out. */
    leftOut: {
      sessions: Object.fromEntries(APPS.map((app) => [app, Math.max(0, apps[app].sessions.counts().total - STATE_PAGE)])) as Record<AppId, number>,
      refreshTokens: Math.max(0, refreshTokens.length - STATE_PAGE),
      ssoSessions: Math.max(0, ssoSessions.length - STATE_PAGE),
    },
    idp: { refreshTokens: refreshTokens.slice(0, STATE_PAGE), ssoSessions: ssoSessions.slice(0, STATE_PAGE), users: identity ? identity.admin.users() : [] },
    attacks: demo.attackIds(),
    switches: demo.switches,
    /** The switches that mean something in the shown workflow (the panel shows only these). */
    switchesShown: workflow.switches,
    /** The defences' settings, and the catalogue entries of those that apply to the shown workflow. */
    defences: demo.defences.settings(),
    defencesShown: Object.values(DEFENCES).filter((d) => d.workflows.includes(workflow.id)),
    resetGeneration: demo.generation,
    loot: demo.loot,
  };
}
