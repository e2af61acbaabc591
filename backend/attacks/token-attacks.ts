import type { Attack, AttackOutcome } from '../workflows/types.js';
import type { AttackDeps } from './stolen-cookies.js';
import { replayAsAttacker } from './replay.js';
import { setCookieName } from '../trace/cookies.js';

/**
 * With a JWT in hand, the attacker opens a session at the store's start-session API and reads the cart
 * with the session cookie it is given. Both requests are real HTTP, as the attacker.
 */
async function sessionFromToken(deps: AttackDeps, token: string) {
  const { session } = deps.store.cookieNames;
  const start = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/session`, {}, { method: 'POST', json: { token } });
  const cookie = start.setCookies.find((line) => setCookieName(line) === session)?.split(';')[0]?.slice(session.length + 1);
  if (start.status !== 200 || !cookie) return { start, cart: undefined };
  deps.loot.push({ time: deps.now(), kind: 'session cookie (minted for the attacker)', value: cookie });
  const cart = await replayAsAttacker(deps.bus, `${deps.store.ctx.urls.store}/api/cart`, { [session]: cookie });
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

/**
 * "Script reads the token": a compromised script include leaks `location.hash` to attacker.localhost while the SPA
 * holds the JWT. First run arms the script; once a token has leaked, a run uses it to get a session and the cart.
 */
export function fragmentTheft(deps: AttackDeps): Attack {
  return {
    id: 'fragment-theft',
    title: 'Script reads the token from the URL',
    async run(): Promise<AttackOutcome> {
      const leaked = [...deps.loot].reverse().find((l) => l.kind === 'access token (from the URL fragment)');
      if (!leaked) {
        deps.switches.injectedScript = true;
        return {
          succeeded: false,
          status: 202,
          outcome: 'Armed: a script on the store and forum pages now sends the URL fragment to attacker.localhost. Log in with FusionAuth, then run this attack again.',
          events: [],
        };
      }
      const { start, cart } = await sessionFromToken(deps, leaked.value);
      const events = [...start.events, ...(cart?.events ?? [])].map((e) => e.id);
      if (!cart || cart.status !== 200) {
        return { succeeded: false, status: start.status, outcome: `The store refused the stolen JWT: ${errorMessage(start.body)}`, events };
      }
      return { succeeded: true, status: 200, outcome: 'The attacker started a session with the stolen JWT and got the cart.', events };
    },
  };
}

/** "Token injection": a JWT minted for the forum, posted to the store's start-session API. `aud` must stop it. */
export function tokenInjection(deps: AttackDeps): Attack {
  return {
    id: 'token-injection',
    title: 'Forum token injected into the store',
    async run(): Promise<AttackOutcome> {
      const forumToken = deps.forum.sessions
        .rows()
        .find((row) => row.endedAt === null && row.data.jwt)?.data.jwt;
      if (!forumToken) {
        return { succeeded: false, status: 409, outcome: 'There is no forum token to steal yet: log in to the forum first.', events: [] };
      }
      deps.loot.push({ time: deps.now(), kind: 'forum access token', value: forumToken, from: 'forum.localhost' });
      const { start, cart } = await sessionFromToken(deps, forumToken);
      const events = [...start.events, ...(cart?.events ?? [])].map((e) => e.id);
      if (!cart || cart.status !== 200) {
        return { succeeded: false, status: start.status, outcome: `Blocked: ${errorMessage(start.body)}`, events };
      }
      return { succeeded: true, status: 200, outcome: 'The store accepted a token meant for the forum: the attacker got the cart. Turn the audience check back on.', events };
    },
  };
}
