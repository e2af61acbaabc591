import type { Step, StepMatch, WithinMatch } from '../workflows/types.js';
import { MAX_EVENTS, type TraceBus } from './bus.js';
import { setCookieName } from './cookies.js';
import { isExchange, type ExchangeEvent, type StepHit, type TraceEvent } from './types.js';

export interface StepState {
  n: number;
  seen: boolean;
  count: number;
  lastEventId: number | null;
  /** Order in which steps were first seen (1 = first); null until seen. */
  firstSeen: number | null;
  /** The label of the last time it happened, when that differs from the catalogue's (a cached load, the request that carried a refresh). */
  lastLabel: string | null;
}


/** One thing to match: an internal event, or one half of an exchange. */
interface Item {
  event: TraceEvent;
  part?: 'request' | 'response';
}

const asArray = <T>(v: T | readonly T[] | undefined): readonly T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

function withinMatches(within: WithinMatch | undefined, root: ExchangeEvent | undefined): boolean {
  if (!within) return true;
  if (!root) return false;
  return (
    (within.actor === undefined || root.actor === within.actor) &&
    (within.origin === undefined || root.origin === within.origin) &&
    (within.method === undefined || root.method === within.method) &&
    (within.path === undefined || root.path === within.path) &&
    (within.attack === undefined || root.attack === within.attack)
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export function matches(match: StepMatch, item: Item, root: ExchangeEvent | undefined): boolean {
  const e = item.event;
  if ('exchange' in match) {
    if (!isExchange(e) || item.part !== match.exchange.part) return false;
    const m = match.exchange;
    const origins = asArray(m.origin);
    const statuses = asArray(m.status);
    const paths = asArray(m.path);
    const sent = Object.keys(e.requestCookies);
    return (
      (m.actor === undefined || e.actor === m.actor) &&
      (origins === undefined || origins.includes(e.origin)) &&
      (m.method === undefined || e.method === m.method) &&
      (paths === undefined || paths.includes(e.path)) &&
      (statuses === undefined || statuses.includes(e.status)) &&
      (m.attack === undefined || e.attack === m.attack) &&
      (m.sendsCookies === undefined || m.sendsCookies.every((suffix) => sent.some((name) => name.endsWith(suffix)))) &&
      (m.caused === undefined || e.caused.some((c) => c.startsWith(m.caused!))) &&
      (m.notCaused === undefined || !e.caused.some((c) => c.startsWith(m.notCaused!))) &&
      (m.setsCookie === undefined || e.setCookies.some((line) => setCookieName(line).endsWith(m.setsCookie!))) &&
      (m.locationHost === undefined || (e.location !== undefined && hostOf(e.location) === `${m.locationHost}.localhost`)) &&
      withinMatches(match.within, root !== e ? root : undefined)
    );
  }
  if (isExchange(e) || e.type !== match.event) return false;
  if (match.system !== undefined && e.system !== match.system) return false;
  if (match.data && !Object.entries(match.data).every(([k, v]) => e.data[k] === v)) return false;
  return withinMatches(match.within, root);
}

/**
 * Labels trace events with the active workflow's step numbers.
 * Events are grouped into episodes: a top-level exchange (browser or attacker) with everything it caused.
 * An episode is matched in the seed's order: the request half, then what happened inside, then the response half.
 * Each item takes the first matching step after the cursor, or else the last matching step at or before it
 * (the same step happening again), so repeated use lights the same arrows and the walk moves forward.
 */
export class StepMatcher {
  private steps: readonly Step[] = [];
  private state = new Map<number, StepState>();
  private cursor = 0;
  private seenOrder = 0;
  private pending = new Map<number, TraceEvent[]>();
  private labels = new Map<number, number[]>();
  private listeners = new Set<(hits: StepHit[]) => void>();

  constructor(bus: TraceBus) {
    bus.subscribe((event) => this.onEvent(event));
  }

  /** Matches against these steps from now on, from a fresh start. */
  use(steps: readonly Step[]): void {
    this.steps = steps;
    this.reset();
  }

  reset(): void {
    this.state = new Map(this.steps.map((s) => [s.n, { n: s.n, seen: false, count: 0, lastEventId: null, firstSeen: null, lastLabel: null }]));
    this.cursor = 0;
    this.seenOrder = 0;
    this.pending.clear();
    this.labels = new Map();
  }

  onHits(listener: (hits: StepHit[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  states(): StepState[] {
    return this.steps.map((s) => this.state.get(s.n)!);
  }

  stepsOf(eventId: number): number[] {
    return this.labels.get(eventId) ?? [];
  }

  private onEvent(event: TraceEvent): void {
    if (event.correlationId !== undefined) {
      const list = this.pending.get(event.correlationId) ?? [];
      list.push(event);
      this.pending.set(event.correlationId, list);
      return;
    }
    const items: Item[] = [];
    if (isExchange(event)) {
      items.push({ event, part: 'request' });
      for (const child of this.collect(event.id)) {
        if (isExchange(child)) items.push({ event: child, part: 'request' }, { event: child, part: 'response' });
        else items.push({ event: child });
      }
      items.push({ event, part: 'response' });
      this.apply(items, event);
    } else {
      this.apply([{ event }], undefined);
    }
  }

  /** Everything an exchange caused, nested calls' children included, in id order. */
  private collect(id: number): TraceEvent[] {
    const direct = this.pending.get(id) ?? [];
    this.pending.delete(id);
    const out: TraceEvent[] = [];
    for (const e of direct.sort((a, b) => a.id - b.id)) {
      out.push(e);
      if (isExchange(e)) out.push(...this.collect(e.id));
    }
    return out;
  }

  /**
   * Seeds repeat the same exchange in different phases (the cart before and after a re-login).
   * So: the next matching step in the current phase; else the same step again within the phase;
   * else the next matching step of a later phase; else the latest matching step before the cursor.
   */
  private choose(candidates: Step[]): Step {
    const phase = this.steps.find((s) => s.n === this.cursor)?.phase;
    const ahead = candidates.filter((s) => s.n > this.cursor);
    const behind = candidates.filter((s) => s.n <= this.cursor);
    return (
      ahead.find((s) => s.phase === phase) ??
      behind.filter((s) => s.phase === phase).at(-1) ??
      ahead[0] ??
      behind.at(-1)!
    );
  }

  private apply(items: Item[], root: ExchangeEvent | undefined): void {
    const hits: StepHit[] = [];
    for (const item of items) {
      const candidates = this.steps.filter((s) => matches(s.match, item, root));
      if (candidates.length === 0) continue;
      const step = this.choose(candidates);
      // An added arrow (tagged A1…, numbered after the seed's) is off the seed's line: it happens whenever the
      // attack does (a leaked fragment, mid-login) and must not move the walk past the steps still to come.
      if (step.tag === undefined || step.tag === String(step.n)) this.cursor = step.n;
      const st = this.state.get(step.n)!;
      st.count += 1;
      st.lastEventId = item.event.id;
      st.lastLabel = step.labelFor && isExchange(item.event) ? step.labelFor(item.event) : null;
      if (!st.seen) {
        st.seen = true;
        st.firstSeen = ++this.seenOrder;
      }
      const labels = this.labels.get(item.event.id) ?? [];
      labels.push(step.n);
      this.labels.set(item.event.id, labels);
      // Labels of events the bus no longer keeps are useless: drop the oldest (Maps iterate in insertion order).
      if (this.labels.size > MAX_EVENTS) this.labels.delete(this.labels.keys().next().value!);
      hits.push({ n: step.n, eventId: item.event.id, firstSeen: st.firstSeen!, ...(item.part && { part: item.part }), label: st.lastLabel ?? step.label });
    }
    if (hits.length) for (const listener of this.listeners) listener(hits);
  }
}
