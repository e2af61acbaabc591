import { randomBytes } from 'node:crypto';
import type { AppServices } from '../app/app-services.js';
import { setCookieName } from '../trace/cookies.js';
import type { TraceEvent } from '../trace/types.js';
import { replayAsAttacker, type Replay } from './replay.js';
import type { Attack, AttackDeps, AttackOutcome, AttackReadiness } from './types.js';
import { sessionAlive, sessionIdOf } from './victim.js';

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
function refreshRefusal(events: TraceEvent[], deps: AttackDeps, token: string): string | undefined {
  const rejected = events.find((e) => e.type === 'idp.refresh.rejected');
  if (!rejected || rejected.type === 'exchange') return undefined;
  switch (rejected.data.reason) {
    case 'expired':
      return 'Refused: the stolen refresh token had already expired. Its short lifetime is the defence that worked here';
    case 'revoked':
      return 'Refused: the stolen refresh token had been revoked (by a logout, or an expiry from the inspector). Revocation is the defence that worked here';
    case 'reused':
      if (deps.defences.isOn('rt-rotation') && deps.victim.refreshTokenStatus(token) === 'revoked') {
        return 'Refused by refresh-token rotation with reuse detection: that value had already been spent and replaced, so its reuse revoked the whole token family (the victim’s current token too); the victim must log in again';
      }
      return 'Refused: the stolen refresh token had already been used once; one-time-use tokens are the defence that worked here';
    default:
      return 'Refused: the identity server does not know that refresh token';
  }
}

/** Why the store refused a stolen session cookie, by how the session ended. */
function sessionRefusal(aliveBefore: boolean, endReason: string | null, shortAbsolute: boolean): string {
  if (endReason === 'client-mismatch') {
    return 'Refused by client binding: the session was bound to the user agent that logged in, the attacker sent another one, so the store ended the session (the victim is logged out too)';
  }
  if (endReason === 'expired-absolute' && shortAbsolute) {
    return 'Refused: the stolen session had reached its absolute timeout, however busy it was kept. A short absolute session timeout is the defence that worked here';
  }
  return aliveBefore ? 'The store refused the stolen session' : 'Refused: the stolen session had already ended on the server. Session expiry is the defence that worked here';
}

const STOLEN_REFRESH_TOKEN = 'refresh token cookie';

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
    async run(options = {}) {
      const mode = options.mode ?? 'now';
      let token: { value: string } | undefined;
      if (mode === 'replay-stolen') {
        token = [...deps.loot].reverse().find((l) => l.kind === STOLEN_REFRESH_TOKEN);
        if (!token) return notReady({ needs: 'A refresh token stolen earlier: run this attack with mode steal first.', missing: 'Nothing stolen yet: run it with mode steal first.' });
      } else {
        token = deps.victim.cookie(deps.store, refreshToken);
        if (!token) return notReady(readiness());
        deps.loot.push({ time: deps.now(), kind: STOLEN_REFRESH_TOKEN, value: token.value, from: storeHost(deps.store) });
        if (mode === 'steal') {
          return { succeeded: false, kind: 'armed', status: 202, outcome: 'Stolen: the attacker copied the store’s refresh-token cookie and will replay it later (mode replay-stolen).', events: [] };
        }
      }
      const bogus = `s%3A${randomBytes(18).toString('base64url')}.invalid`;
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: bogus, [refreshToken]: token.value }, { attack: 'stolen-refresh-token' });
      const gained = replay.setCookies.find((line) => setCookieName(line) === session);
      if (gained) deps.loot.push({ time: deps.now(), kind: 'session cookie (minted for the attacker)', value: gained.split(';')[0]!.slice(session.length + 1) });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      return outcomeOf(replay, 'The attacker got the cart', refreshRefusal(replay.events, deps, token.value) ?? 'The store refused the stolen refresh token', session);
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
    async run(options = {}) {
      const cookie = deps.victim.cookie(deps.store, session);
      if (!cookie) return notReady(readiness());
      const alive = sessionAlive(deps.store, cookie.value);
      const sid = sessionIdOf(cookie.value);
      const row = () => deps.store.sessions.rows().find((r) => r.sid === sid);
      deps.loot.push({ time: deps.now(), kind: 'session cookie', value: cookie.value, from: storeHost(deps.store) });
      // The careful thief reads the victim's user agent (here from the session row, as a sniffer would from the request).
      const victimAgent = options.copyUserAgent ? row()?.data.client?.userAgent : undefined;
      if (victimAgent !== undefined) deps.loot.push({ time: deps.now(), kind: 'victim’s user agent', value: victimAgent });
      const replay = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: cookie.value }, {
        attack: 'stolen-session-cookie',
        ...(victimAgent !== undefined && { userAgent: victimAgent }),
      });
      if (replay.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: replay.body });
      const outcome = outcomeOf(replay, 'The attacker got the cart with the victim’s own session', sessionRefusal(alive, row()?.endReason ?? null, deps.defences.isOn('short-absolute-timeout')), session);
      if (outcome.succeeded && victimAgent !== undefined && deps.defences.isOn('client-binding')) {
        outcome.outcome += ' Client binding let it through: the thief sent the victim’s own user agent, and every client here has the same address. Binding to such properties only detects careless thieves (OWASP says the same).';
      }
      return outcome;
    },
  };
}
