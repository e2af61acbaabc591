import { isExchange, type TraceEvent } from './types.js';

export interface TraceFilter {
  origin: string;
  actor: string;
}

export const ORIGIN_OPTIONS = ['store', 'forum', 'login', 'attacker', 'external', 'loginscope'] as const;
export const ACTOR_OPTIONS = ['browser', 'store-backend', 'forum-backend', 'attacker', 'internal'] as const;

/** Where an event happened: an exchange's origin, or for an internal event the origin of the system it happened in. */
export function originOf(e: TraceEvent): string {
  if (isExchange(e)) return e.origin;
  return e.system === 'idp' ? 'login' : e.system;
}

/** Who acted: an exchange's caller; internal events are the systems' own doing. */
export function actorOf(e: TraceEvent): string {
  return isExchange(e) ? e.actor : 'internal';
}

export function filterTrace(events: readonly TraceEvent[], filter: TraceFilter): TraceEvent[] {
  return events.filter((e) => (!filter.origin || originOf(e) === filter.origin) && (!filter.actor || actorOf(e) === filter.actor));
}

/** One line for the list: `GET /api/cart → 200` or `session.created`. */
export function summary(e: TraceEvent): string {
  return isExchange(e) ? `${e.method} ${e.path} → ${e.status}` : e.type;
}
