import { randomBytes } from 'node:crypto';
import type { AppServices } from '../app/app-services.js';
import type { DemoSwitches } from '../demo-switches.js';
import type { CookieView } from '../inspector/cookie-view.js';
import type { TraceBus } from '../trace/bus.js';
import { setCookieName } from '../trace/cookies.js';
import type { Attack, AttackOutcome } from '../workflows/types.js';
import type { Loot } from './attacker-origin.js';
import { replayAsAttacker } from './replay.js';

export interface AttackDeps {
  bus: TraceBus;
  store: AppServices;
  forum: AppServices;
  switches: DemoSwitches;
  /** The victim's cookies for an origin host, from the jar the inspector shows. */
  victimCookies(host: string): CookieView[];
  loot: Loot[];
  now(): number;
}

function outcomeOf(replay: Awaited<ReturnType<typeof replayAsAttacker>>, success: string, failure: string, sessionCookie: string): AttackOutcome {
  const succeeded = replay.status === 200;
  const newSession = replay.setCookies.some((line) => setCookieName(line) === sessionCookie);
  return {
    succeeded,
    status: replay.status,
    outcome: succeeded ? `${success}${newSession ? ' and a new session of its own' : ''}.` : `${failure} (${replay.status}).`,
    events: replay.events.map((e) => e.id),
  };
}

function stolen(deps: AttackDeps, name: string): CookieView | undefined {
  return deps.victimCookies(new URL(deps.store.ctx.urls.store).hostname).find((c) => c.name === name);
}

const nothingToSteal = (what: string): AttackOutcome => ({
  succeeded: false,
  status: 409,
  outcome: `There is no ${what} to steal yet: log in to the store first.`,
  events: [],
});

/** The seed's attack: the refresh-token cookie, replayed with a made-up session id, buys a fresh session. */
export function stolenRefreshToken(deps: AttackDeps): Attack {
  return {
    id: 'stolen-refresh-token',
    title: 'Stolen refresh token',
    async run() {
      const { session, refreshToken } = deps.store.cookieNames;
      const token = stolen(deps, refreshToken);
      if (!token) return nothingToSteal('refresh-token cookie');
      deps.loot.push({ time: deps.now(), kind: 'refresh token cookie', value: token.value, from: 'store.localhost' });
      const bogus = `s%3A${randomBytes(18).toString('base64url')}.invalid`;
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: bogus, [refreshToken]: token.value });
      const gained = replay.setCookies.find((line) => setCookieName(line) === session);
      if (gained) deps.loot.push({ time: deps.now(), kind: 'session cookie (minted for the attacker)', value: gained.split(';')[0]!.slice(session.length + 1) });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      return outcomeOf(replay, 'The attacker got the cart', 'The store refused the stolen refresh token', session);
    },
  };
}

/** The stolen session cookie: replayed as is, it reads the cart and even extends the victim's session. */
export function stolenSessionCookie(deps: AttackDeps): Attack {
  return {
    id: 'stolen-session-cookie',
    title: 'Stolen session cookie',
    async run() {
      const { session } = deps.store.cookieNames;
      const cookie = stolen(deps, session);
      if (!cookie) return nothingToSteal('session cookie');
      deps.loot.push({ time: deps.now(), kind: 'session cookie', value: cookie.value, from: 'store.localhost' });
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: cookie.value });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      return outcomeOf(replay, 'The attacker got the cart with the victim’s own session', 'The store refused the stolen session', session);
    },
  };
}
