import { computed, onBeforeUnmount, ref, shallowRef, triggerRef } from 'vue';
import type { InspectorApi, TraceEntry } from './api.js';
import type { InspectorState, StepHit, TraceEvent } from './types.js';

export type Connection = 'connecting' | 'live' | 'reconnecting';

const REFRESH_DELAY_MS = 120;

/**
 * The inspector's live model: the state snapshot, the trace and its step labels, and the server clock.
 * SSE pushes trace events and step hits; everything else (cookies, sessions, tokens) is re-read from
 * /api/state, debounced, after each burst.
 */
export function useInspector(api: InspectorApi) {
  const state = shallowRef<InspectorState>();
  const trace = shallowRef<TraceEvent[]>([]);
  /** Step numbers per event id, from /api/trace and from live hits (which can arrive before their event). */
  const stepsByEvent = shallowRef(new Map<number, number[]>());
  const latestStep = ref<number | null>(null);
  const connection = ref<Connection>('connecting');
  const problem = ref<string>();

  // The server clock runs at wall speed between snapshots and jumps when the inspector advances it.
  const clockBase = { server: 0, local: 0 };
  const tick = ref(performance.now());
  const timer = window.setInterval(() => (tick.value = performance.now()), 1000);
  const now = computed(() => (state.value ? clockBase.server + (tick.value - clockBase.local) : 0));

  let refreshTimer: number | undefined;
  let fetching: Promise<void> | undefined;
  let dirty = false;

  async function loadState(): Promise<void> {
    if (fetching) {
      dirty = true;
      return fetching;
    }
    fetching = (async () => {
      try {
        const next = await api.state();
        clockBase.server = next.now;
        clockBase.local = performance.now();
        tick.value = clockBase.local;
        state.value = next;
        problem.value = undefined;
        expireDeletedRows(next);
      } catch (err) {
        problem.value = err instanceof Error ? err.message : String(err);
      } finally {
        fetching = undefined;
      }
      if (dirty) {
        dirty = false;
        await loadState();
      }
    })();
    return fetching;
  }

  // A cookie deleted a moment ago stays struck through for a few seconds; no event marks the end of that, so the
  // snapshot is read again when the first of them is due to leave.
  let deletedTimer: number | undefined;
  function expireDeletedRows(snapshot: InspectorState): void {
    window.clearTimeout(deletedTimer);
    const due = Object.values(snapshot.cookies)
      .flat()
      .map((c) => c.deleted?.until)
      .filter((t): t is number => t !== undefined);
    if (due.length) deletedTimer = window.setTimeout(() => void loadState(), Math.max(0, Math.min(...due) - Date.now()) + 50);
  }

  function scheduleRefresh(): void {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => void loadState(), REFRESH_DELAY_MS);
  }

  function addSteps(eventId: number, steps: number[]): void {
    const current = stepsByEvent.value.get(eventId) ?? [];
    stepsByEvent.value.set(eventId, [...new Set([...current, ...steps])]);
  }

  async function loadTrace(): Promise<void> {
    const entries: TraceEntry[] = await api.trace();
    const byId = new Map(trace.value.map((e) => [e.id, e]));
    for (const { steps, ...event } of entries) {
      byId.set(event.id, event as TraceEvent);
      addSteps(event.id, steps);
    }
    trace.value = [...byId.values()].sort((a, b) => a.id - b.id);
    triggerRef(stepsByEvent);
  }

  async function reloadAll(): Promise<void> {
    trace.value = [];
    stepsByEvent.value = new Map();
    await Promise.all([loadState(), loadTrace().catch((err: unknown) => (problem.value = String(err)))]);
    const last = state.value?.steps.filter((s) => s.lastEventId !== null).sort((a, b) => b.lastEventId! - a.lastEventId!)[0];
    latestStep.value = last?.n ?? null;
  }

  function onTrace(event: TraceEvent): void {
    if (event.type === 'state.reset') {
      void reloadAll();
      return;
    }
    const list = trace.value;
    // Exchanges are published when they finish, after what they caused: insert by id to keep cause before effect.
    let i = list.length;
    while (i > 0 && list[i - 1]!.id > event.id) i--;
    if (list[i - 1]?.id !== event.id) trace.value = [...list.slice(0, i), event, ...list.slice(i)];
    scheduleRefresh();
  }

  function onSteps(hits: StepHit[]): void {
    for (const hit of hits) addSteps(hit.eventId, [hit.n]);
    triggerRef(stepsByEvent);
    const current = state.value;
    if (current) {
      // New objects, so components holding the steps array see the change before the snapshot catches up.
      const steps = current.steps.map((step) => {
        const mine = hits.filter((h) => h.n === step.n);
        if (!mine.length) return step;
        const last = mine.at(-1)!;
        // A label that depends on how it happened (cached load, the request that carried a refresh) follows the last hit.
        return { ...step, seen: true, count: step.count + mine.length, lastEventId: last.eventId, firstSeen: step.firstSeen ?? mine[0]!.firstSeen, label: last.label };
      });
      state.value = { ...current, steps };
    }
    latestStep.value = hits.at(-1)?.n ?? latestStep.value;
    scheduleRefresh();
  }

  const source = new EventSource(api.eventsUrl());
  source.onopen = () => {
    connection.value = 'live';
    // Whatever happened while disconnected is only in the snapshot and the stored trace.
    void reloadAll();
  };
  source.onerror = () => {
    connection.value = 'reconnecting';
  };
  source.addEventListener('trace', (e) => onTrace(JSON.parse((e as MessageEvent<string>).data) as TraceEvent));
  source.addEventListener('steps', (e) => onSteps(JSON.parse((e as MessageEvent<string>).data) as StepHit[]));

  onBeforeUnmount(() => {
    source.close();
    window.clearInterval(timer);
    window.clearTimeout(refreshTimer);
  });

  /** Runs an inspector action, then re-reads the snapshot; errors land in `problem` for the banner. */
  async function act<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await action();
      await loadState();
      return result;
    } catch (err) {
      problem.value = err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }

  const stepsOf = (eventId: number): number[] => stepsByEvent.value.get(eventId) ?? [];

  return { state, trace, stepsOf, latestStep, connection, problem, now, act, reloadAll };
}
