/** The one clock. Everything that expires asks it; the inspector and tests move it forward. */
export interface Clock {
  /** Milliseconds since the epoch, shifted by every advance so far. */
  now(): number;
  /** How far ahead of the base (real) time it runs, in ms: the sum of every advance, and what a restart keeps. */
  offset(): number;
  /** Moves time forward; listeners (sweepers) run synchronously so state is settled when this returns. */
  advance(ms: number): void;
  onAdvance(listener: (now: number) => void): () => void;
}

export function createClock(base: () => number = Date.now, initialOffset = 0): Clock {
  let offset = initialOffset;
  const listeners = new Set<(now: number) => void>();
  return {
    now: () => base() + offset,
    offset: () => offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock can only move forward by a finite amount');
      offset += ms;
      const now = base() + offset;
      for (const listener of listeners) listener(now);
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
