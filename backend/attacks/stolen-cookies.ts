import { randomBytes } from 'node:crypto';
import type { AppServices } from '../app/app-services.js';
import { setCookieName } from '../trace/cookies.js';
import type { TraceEvent } from '../trace/types.js';
import { replayAsAttacker, type Replay } from './replay.js';
import type { Attack, AttackDeps, AttackOutcome, AttackReadiness } from './types.js';
import { sessionAlive } from './victim.js';

export function outcomeOf(replay: Replay, success: string, refusal: string, sessionCookie: string): AttackOutcome {
  const succeeded = replay.status === 200;
  const newSession = replay.setCookies.some((line) => setCookieName(line) === sessionCookie);
  return {
    succeeded,
    kind: succeeded ? 'worked' : 'refused',
    status: replay.status,
    outcome: succeeded ? `${success}${newSession ? ' and a new session of its own' : ''}.` : `${refusal} (${replay.status}).`,
    events: replay.events.map((e) => e.id),
  };
}

export const notReady = (readiness: AttackReadiness): AttackOutcome => ({
  succeeded: false,
  kind: 'not-ready',
  status: 409,
  outcome: `Not run: ${readiness.missing ?? readiness.needs}`,
  events: [],
});

/** Why the identity server refused a refresh during the replay, in the words a presenter would use. */
function refreshRefusal(events: TraceEvent[]): string | undefined {
  const rejected = events.find((e) => e.type === 'idp.refresh.rejected');
  if (!rejected || rejected.type === 'exchange') return undefined;
  switch (rejected.data.reason) {
    case 'expired':
      return 'Refused: the stolen refresh token had already expired. Its short lifetime is the defence that worked here';
    case 'revoked':
      return 'Refused: the stolen refresh token had been revoked (by a logout, or an expiry from the inspector). Revocation is the defence that worked here';
    case 'reused':
      return 'Refused: the stolen refresh token had already been used once; one-time-use tokens are the defence that worked here';
    default:
      return 'Refused: the identity server does not know that refresh token';
  }
}

const storeHost = (store: AppServices) => new URL(store.ctx.urls.store).hostname;

/** The seed's attack: the refresh-token cookie, replayed with a made-up session id, buys a fresh session. */
export function stolenRefreshToken(deps: AttackDeps): Attack {
  const { session, refreshToken } = deps.store.cookieNames;
  const readiness = (): AttackReadiness => {
    const needs = 'The store’s live refresh token: the user must be logged in to the store.';
    const cookie = deps.victim.cookie(deps.store, refreshToken);
    if (!cookie) return { needs, missing: 'The browser holds no store refresh-token cookie.', fix: 'log-in-store' };
    const status = deps.victim.refreshTokenStatus(cookie.value);
    if (status === 'expired' || status === 'revoked' || status === 'unknown') {
      return { needs, missing: `The store’s refresh token in the browser is ${status === 'unknown' ? 'not known to the identity server' : status}: the user must log in to the store again.`, fix: 'log-in-store' };
    }
    return { needs };
  };
  return {
    id: 'stolen-refresh-token',
    title: 'Stolen refresh token',
    readiness,
    async run() {
      const token = deps.victim.cookie(deps.store, refreshToken);
      if (!token) return notReady(readiness());
      deps.loot.push({ time: deps.now(), kind: 'refresh token cookie', value: token.value, from: storeHost(deps.store) });
      const bogus = `s%3A${randomBytes(18).toString('base64url')}.invalid`;
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: bogus, [refreshToken]: token.value }, { attack: 'stolen-refresh-token' });
      const gained = replay.setCookies.find((line) => setCookieName(line) === session);
      if (gained) deps.loot.push({ time: deps.now(), kind: 'session cookie (minted for the attacker)', value: gained.split(';')[0]!.slice(session.length + 1) });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      return outcomeOf(replay, 'The attacker got the cart', refreshRefusal(replay.events) ?? 'The store refused the stolen refresh token', session);
    },
  };
}

/** The stolen session cookie: replayed as is, it reads the cart and even extends the victim's session. */
export function stolenSessionCookie(deps: AttackDeps): Attack {
  const { session } = deps.store.cookieNames;
  const readiness = (): AttackReadiness => {
    const needs = 'The store’s live session cookie: the user must be logged in to the store, with a session that has not expired.';
    const cookie = deps.victim.cookie(deps.store, session);
    if (!cookie) return { needs, missing: 'The browser holds no store session cookie.', fix: 'log-in-store' };
    if (!sessionAlive(deps.store, cookie.value)) return { needs, missing: 'The store session in the browser has ended on the server: the user must log in to the store again.', fix: 'log-in-store' };
    return { needs };
  };
  return {
    id: 'stolen-session-cookie',
    title: 'Stolen session cookie',
    readiness,
    async run() {
      const cookie = deps.victim.cookie(deps.store, session);
      if (!cookie) return notReady(readiness());
      const alive = sessionAlive(deps.store, cookie.value);
      deps.loot.push({ time: deps.now(), kind: 'session cookie', value: cookie.value, from: storeHost(deps.store) });
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: cookie.value }, { attack: 'stolen-session-cookie' });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      const refusal = alive
        ? 'The store refused the stolen session'
        : 'Refused: the stolen session had already ended on the server. Session expiry is the defence that worked here';
      return outcomeOf(replay, 'The attacker got the cart with the victim’s own session', refusal, session);
    },
  };
}
