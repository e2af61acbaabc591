import { request } from 'undici';
import { localhostAgent } from '../localhost-dispatcher.js';
import type { TraceBus } from '../trace/bus.js';
import { isExchange, type TraceEvent, ACTOR_HEADER, ATTACK_HEADER } from '../trace/types.js';

const agent = localhostAgent();

export interface Replay {
  status: number;
  body: string;
  setCookies: string[];
  /** The attacker's exchange and everything it caused. */
  events: TraceEvent[];
}

/**
 * Sends a request as the attacker, over real HTTP, with only the cookies it stole.
 * Returns the answer and the trace events it caused (attacks run one at a time). Each call names its attack, so
 * the diagram can tell one attack's arrows from another's.
 */
/** The scripted attacker's own user agent: a careless thief does not pretend to be the victim's browser. */
export const ATTACKER_USER_AGENT = 'attacker-script/1.0';

export async function replayAsAttacker(
  bus: TraceBus,
  url: string,
  cookies: Record<string, string>,
  init: { method?: 'GET' | 'POST'; json?: unknown; attack: string; userAgent?: string },
): Promise<Replay> {
  const events: TraceEvent[] = [];
  const stop = bus.subscribe((e) => events.push(e));
  try {
    const headers: Record<string, string> = { [ACTOR_HEADER]: bus.actorHeader('attacker'), [ATTACK_HEADER]: init.attack, 'user-agent': init.userAgent ?? ATTACKER_USER_AGENT };
    const cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    if (cookie) headers.cookie = cookie;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await request(url, {
      method: init.method ?? 'GET',
      headers,
      ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
      dispatcher: agent,
    });
    const body = await res.body.text();
    const raw = res.headers['set-cookie'];
    return {
      status: res.statusCode,
      body,
      setCookies: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
      events: causedByAttacker(events),
    };
  } finally {
    stop();
  }
}

/**
 * The attacker's exchanges and everything they caused, at any depth: the identity server's own events (a refused
 * refresh and its reason) happen inside the backend's call to it, one level below the attacker's request.
 */
function causedByAttacker(events: TraceEvent[]): TraceEvent[] {
  const ids = new Set(events.filter((e) => isExchange(e) && e.actor === 'attacker').map((e) => e.id));
  // A nested exchange is published after what it caused, so go round until nothing more joins.
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of events) {
      if (!ids.has(e.id) && e.correlationId !== undefined && ids.has(e.correlationId)) {
        ids.add(e.id);
        grew = true;
      }
    }
  }
  return events.filter((e) => ids.has(e.id));
}
