import type { TrackEntry } from '../types.js';

/** implicit-session's guided track: what to say at each phase of the seed, and what to do to move on. */
export const implicitSessionTrack: readonly TrackEntry[] = [
  {
    after: 0,
    done: 4,
    say: 'This store logs users in through the identity server with the OAuth implicit grant. On load, the app asks its backend whether a session exists.',
    next: { kind: 'app', app: 'store', action: 'Open the store' },
  },
  {
    after: 4,
    done: 13,
    say: 'The password is typed on the identity server’s page, never in the app. The JWT comes back in the address bar’s fragment, and the app posts it to its start-session API.',
    next: { kind: 'app', app: 'store', action: 'Log in at the store: Log in with FusionAuth, then the demo user' },
  },
  {
    after: 13,
    done: 16,
    say: 'From here on only the HttpOnly session cookie travels; the backend finds the session and extends it.',
    next: { kind: 'app', app: 'store', action: 'Click Cart in the store' },
  },
  {
    after: 16,
    done: 17,
    doneWhen: 'store-session-ended',
    say: 'We move the clock past the session’s idle timeout. There is no refresh token in this workflow to save it.',
    next: { kind: 'inspector', action: 'advance-while', label: 'A while later' },
  },
  {
    after: 16,
    done: 28,
    say: 'The cart answers 401, so the app sends the browser back to the identity server. Its SSO cookie is still good, so a new JWT arrives without any form.',
    next: { kind: 'app', app: 'store', action: 'Click Cart in the store' },
  },
  {
    after: 28,
    done: 32,
    say: 'The forum is another origin with its own backend, and at first it has no session for this user.',
    next: { kind: 'app', app: 'forum', action: 'Open the forum' },
  },
  {
    after: 32,
    done: 42,
    say: 'One click on the forum’s login: the identity server recognises its SSO cookie and returns a forum JWT with no password asked.',
    next: { kind: 'app', app: 'forum', action: 'Click Log in with FusionAuth in the forum' },
  },
  {
    after: 42,
    done: 45,
    say: 'First attack: someone holding the store’s session cookie replays it, and the backend serves them the cart as if they were the user.',
    next: { kind: 'inspector', action: 'attack', attack: 'stolen-session-cookie', label: 'Run the stolen session cookie attack' },
  },
  {
    after: 45,
    done: 101,
    doneWhen: 'script-armed',
    say: 'Now imagine one of the page’s script includes has been compromised. Arming it makes the store’s pages report the URL fragment to the attacker.',
    next: { kind: 'inspector', action: 'attack', attack: 'fragment-theft', label: 'Arm the injected script', arms: true },
  },
  {
    after: 45,
    done: 101,
    say: 'The next login puts a fresh JWT in the address bar, and the compromised script sends it away before the app can clear it.',
    next: { kind: 'app', app: 'store', action: 'Log in at the store again (Log out, then Log in with FusionAuth)' },
  },
  {
    after: 101,
    done: 106,
    say: 'The stolen JWT is genuine, so the store’s start-session API opens a session for the attacker, who then reads the cart.',
    next: { kind: 'inspector', action: 'attack', attack: 'fragment-theft', label: 'Run the script theft with the leaked token' },
  },
  {
    after: 106,
    done: 108,
    say: 'Last, a JWT the identity server issued for the forum is pushed into the store. Checking the audience claim is what stops it.',
    next: { kind: 'inspector', action: 'attack', attack: 'token-injection', label: 'Run the token injection attack' },
  },
];
