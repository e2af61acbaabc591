import type { TraceEvent } from './types.js';

/**
 * Loginscope's own plumbing: calls the SPAs make to their backend only because Loginscope is a demo (which
 * workflow is active, what the page rendered). No real store or forum would make them, so the trace list and
 * the HAR leave them out unless asked. They are still recorded: the events they cause (`browser.rendered`)
 * light steps, and only the exchange rows themselves are hidden.
 */
const PLUMBING_PATHS: ReadonlySet<string> = new Set(['/api/workflow', '/api/ui-events']);

export function isPlumbing(event: TraceEvent): boolean {
  if (event.type !== 'exchange' || event.actor !== 'browser' || (event.origin !== 'store' && event.origin !== 'forum')) return false;
  // Express routes case-insensitively and ignores a trailing slash, so `/API/Workflow/` reaches the same handler.
  return PLUMBING_PATHS.has(event.path.toLowerCase().replace(/\/+$/, ''));
}

/** The event as the inspector API sends it: plumbing exchanges carry `plumbing: true`, everything else is unchanged. */
export function withPlumbingFlag<T extends TraceEvent>(event: T): T | (T & { plumbing: true }) {
  return isPlumbing(event) ? { ...event, plumbing: true } : event;
}
