import { describe, expect, it } from 'vitest';
import { createClock } from '../../backend/clock.js';
import { TraceBus } from '../../backend/trace/bus.js';
import { runInExchange } from '../../backend/trace/context.js';
import { StepMatcher } from '../../backend/trace/step-matcher.js';
import type { Actor } from '../../backend/trace/types.js';
import { event, request, response } from '../../backend/workflows/match-builders.js';
import type { Step } from '../../backend/workflows/types.js';

const step = (n: number, phase: Step['phase'], match: Step['match'], kind: Step['kind'] = 'request'): Step => ({ n, from: 'browser', to: 'store', kind, phase, label: `step ${n}`, match, caption: '' });

function exchange(bus: TraceBus, path: string, status: number, inside?: () => void, actor: Actor = 'browser') {
  const s = bus.reserveExchange();
  if (inside) runInExchange(s.id, inside);
  return bus.publishExchange({ id: s.id, time: s.time, actor, origin: 'store', method: 'GET', url: `http://store.localhost:1${path}`, path, requestCookies: {}, status, setCookies: [], durationMs: 1 });
}

describe('StepMatcher', () => {
  const cart = { actor: 'browser', origin: 'store', method: 'GET', path: '/api/cart', status: 200 } as const;
  const steps: Step[] = [
    step(1, 'use', request(cart)),
    step(2, 'use', event('session.touched', { within: { path: '/api/cart' } }), 'internal'),
    step(3, 'use', response(cart), 'response'),
    step(4, 'expiry', request({ ...cart, status: 401 })),
    step(5, 'expiry', response({ ...cart, status: 401 }), 'response'),
    step(6, 'expiry', request(cart)),
    step(7, 'expiry', response(cart), 'response'),
  ];

  function setup() {
    const bus = new TraceBus(createClock());
    const matcher = new StepMatcher(bus);
    matcher.use(steps);
    return { bus, matcher, seen: () => matcher.states().filter((s) => s.seen).map((s) => s.n) };
  }

  it('matches an exchange as request, what it caused, then response', () => {
    const { bus, matcher } = setup();
    const ex = exchange(bus, '/api/cart', 200, () => bus.emit('session.touched', 'store'));
    expect(matcher.stepsOf(ex.id)).toEqual([1, 3]);
    expect(matcher.states().slice(0, 3).map((s) => s.firstSeen)).toEqual([1, 2, 3]);
  });

  it('repeats a step within its phase rather than jumping to a later phase', () => {
    const { bus, matcher } = setup();
    exchange(bus, '/api/cart', 200);
    exchange(bus, '/api/cart', 200);
    expect(matcher.states()[0]!.count).toBe(2);
    expect(matcher.states()[5]!.seen).toBe(false);
  });

  it('moves to the later phase when the evidence says so, then matches its own copy of a repeated exchange', () => {
    const { bus, seen } = setup();
    exchange(bus, '/api/cart', 200);
    exchange(bus, '/api/cart', 401);
    exchange(bus, '/api/cart', 200);
    expect(seen()).toEqual([1, 3, 4, 5, 6, 7]);
  });

  it('an added (tagged) arrow that happens mid-walk does not move the walk past the seed steps still to come', () => {
    const bus = new TraceBus(createClock());
    const matcher = new StepMatcher(bus);
    const leak = { actor: 'browser', origin: 'store', method: 'GET', path: '/collect' } as const;
    matcher.use([...steps, { ...step(101, 'attack', request(leak)), tag: 'A1' }]);
    exchange(bus, '/api/cart', 200);
    exchange(bus, '/collect', 200);
    // The seed's next cart is still step 1 (the "use" phase), not its later copy 6 in "expiry".
    const cart = exchange(bus, '/api/cart', 200);
    expect(matcher.stepsOf(cart.id)).toEqual([1, 3]);
    expect(matcher.states().filter((s) => s.seen).map((s) => s.n)).toEqual([1, 3, 101]);
  });

  it('needs the right context for an internal step', () => {
    const { bus, seen } = setup();
    bus.emit('session.touched', 'store');
    expect(seen()).toEqual([]);
    exchange(bus, '/api/other', 200, () => bus.emit('session.touched', 'store'));
    expect(seen()).toEqual([]);
  });

  it('ignores events of other actors', () => {
    const { bus, seen } = setup();
    exchange(bus, '/api/cart', 200, undefined, 'attacker');
    expect(seen()).toEqual([]);
  });

  it('starts over on reset', () => {
    const { bus, matcher, seen } = setup();
    exchange(bus, '/api/cart', 200);
    matcher.reset();
    expect(seen()).toEqual([]);
  });
});
