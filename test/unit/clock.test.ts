import { describe, expect, it } from 'vitest';
import { createClock } from '../../backend/clock.js';

describe('clock', () => {
  it('advances on request and tells listeners', () => {
    let wall = 1_000;
    const clock = createClock(() => wall);
    const seen: number[] = [];
    clock.onAdvance((now) => seen.push(now));
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    wall = 2_000;
    expect(clock.now()).toBe(2_500);
    expect(seen).toEqual([1_500]);
  });

  it('never goes backwards', () => {
    expect(() => createClock().advance(-1)).toThrow(RangeError);
    expect(() => createClock().advance(Number.NaN)).toThrow(RangeError);
  });
});
