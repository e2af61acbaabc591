import type { TraceEvent } from './types.js';

/**
 * Loginscope's own plumbing: calls the SPAs make to their backend only because Loginscope is a demo (which
 * workflow is active, what the page rendered, wiping cookies after a Reset). No real store or forum would make them, so the trace list and
 * the HAR leave them out unless asked. They are still recorded: the events they cause (`browser.rendered`)
 * light steps, and only the exchange rows themselves are hidden.
 */
const PLUMBING_PATHS: Readonly<Record<string, ReadonlySet<string>>> = {
  // The page's start-up question, its "what I show" reports, and the cookie wipe after a Reset (demo-events.ts).
  store: new Set(['/api/workflow', '/api/ui-events', '/api/loginscope/forget']),
  forum: new Set(['/api/workflow', '/api/ui-events', '/api/loginscope/forget']),
  // The identity server's cookie wipe after a Reset (idp/forget-browser.ts): Loginscope's page, not FusionAuth's.
  login: new Set(['/loginscope/forget']),
};

export function isPlumbing(event: TraceEvent): boolean {
  if (event.type !== 'exchange' || event.actor !== 'browser') return false;
  const paths = Object.hasOwn(PLUMBING_PATHS, event.origin) ? PLUMBING_PATHS[event.origin] : undefined;
  // Express routes case-insensitively and ignores a trailing slash, so `/API/Workflow/` reaches the same handler.
  return paths?.has(event.path.toLowerCase().replace(/\/+$/, '')) ?? false;
}

/** The event as the inspector API sends it: plumbing exchanges carry `plumbing: true`, everything else is unchanged. */
export function withPlumbingFlag<T extends TraceEvent>(event: T): T | (T & { plumbing: true }) {
  return isPlumbing(event) ? { ...event, plumbing: true } : event;
}
