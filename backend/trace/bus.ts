import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { currentExchangeId } from './context.js';
import { ACTORS, type Actor, type ExchangeEvent, type InternalEvent, type InternalEventType, type System, type TraceEvent } from './types.js';

export type TraceListener = (event: TraceEvent) => void;

/** A demo walk is a few hundred events; a test suite hammering the backend must not grow memory without bound. */
export const MAX_EVENTS = 5_000;
/** The buffer may run this far past MAX_EVENTS before the oldest are dropped in one go. */
const TRIM_SLACK = 500;

/**
 * The one event stream. Exchanges are published when they finish (with the id reserved when they started);
 * internal events as they happen. Listeners see every event once, in publish order.
 */
export class TraceBus {
  private nextId = 1;
  private events: TraceEvent[] = [];
  private listeners = new Set<TraceListener>();
  /** Child event types per open exchange, to fill `caused`. */
  private open = new Map<number, string[]>();
  /**
   * Our own HTTP clients (application backends, scripted attacker) prove who they are with this per-launch key in
   * ACTOR_HEADER; a browser cannot know it, so it cannot hide its requests from the trace or pose as a backend.
   */
  private readonly actorKey = randomBytes(16).toString('base64url');
  /** Listener failures so far: counted and logged, never thrown into the request that published. */
  listenerFailures = 0;

  constructor(private readonly clock: Clock) {}

  /** The ACTOR_HEADER value our own clients send. */
  actorHeader(actor: Actor): string {
    return `${actor} ${this.actorKey}`;
  }

  /** Who made a request: a backend or the attacker only with this launch's key; anyone else is the browser. */
  actorOf(header: string | undefined): Actor {
    const [claimed, key] = (header ?? '').split(' ');
    return key === this.actorKey && ACTORS.includes(claimed as Actor) ? (claimed as Actor) : 'browser';
  }

  /** The exchange the current code runs inside, if it is still open (a forged or finished id ties nothing to it). */
  private openExchange(): number | undefined {
    const id = currentExchangeId();
    return id !== undefined && this.open.has(id) ? id : undefined;
  }

  reserveExchange(): { id: number; time: number; correlationId: number | undefined } {
    const id = this.nextId++;
    const correlationId = this.openExchange();
    this.open.set(id, []);
    return { id, time: this.clock.now(), correlationId };
  }

  publishExchange(event: Omit<ExchangeEvent, 'caused' | 'type'>): ExchangeEvent {
    const caused = this.open.get(event.id) ?? [];
    this.open.delete(event.id);
    const full: ExchangeEvent = { ...event, type: 'exchange', caused };
    if (full.correlationId !== undefined) {
      this.open.get(full.correlationId)?.push(`exchange:${full.origin} ${full.method} ${full.path} ${full.status}`);
    }
    this.publish(full);
    return full;
  }

  emit(type: InternalEventType, system: System, data: Record<string, unknown> = {}): InternalEvent {
    const correlationId = this.openExchange();
    const event: InternalEvent = { id: this.nextId++, time: this.clock.now(), type, system, data };
    if (correlationId !== undefined) {
      event.correlationId = correlationId;
      this.open.get(correlationId)?.push(type);
    }
    this.publish(event);
    return event;
  }

  private publish(event: TraceEvent): void {
    this.events.push(event);
    // Trimmed in batches: splicing one event off the array on every publish was O(n) per event under load.
    if (this.events.length > MAX_EVENTS + TRIM_SLACK) this.events.splice(0, this.events.length - MAX_EVENTS);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken view (a stream, the jar, the matcher) must not take the request or the process with it.
        this.listenerFailures++;
        console.error(`Trace listener failed on event ${event.id}: ${(err as Error).message}`);
      }
    }
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event kept, sorted by id (an exchange before what it caused). */
  list(): TraceEvent[] {
    return [...this.events].sort((a, b) => a.id - b.id);
  }

  get(id: number): TraceEvent | undefined {
    return this.events.find((e) => e.id === id);
  }

  /** Forgets the kept events: a fresh trace (Reset, a workflow switch). */
  clear(): void {
    this.events = [];
  }
}
