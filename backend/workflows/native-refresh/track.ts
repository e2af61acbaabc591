import type { TrackEntry } from '../types.js';

/** native-refresh's guided track: what to say at each phase of the seed, and what to do to move on. */
export const nativeRefreshTrack: readonly TrackEntry[] = [
  {
    after: 0,
    done: 5,
    say: 'Here is a store whose single-page app has its own login form. Watch the diagram while it loads: the app first asks its backend whether anyone is logged in.',
    next: { kind: 'app', app: 'store', action: 'Open the store' },
  },
  {
    after: 5,
    done: 10,
    say: 'The password goes to the store’s own backend, which checks it with the identity server’s Login API. What comes back is a server-side session and a refresh token, both as HttpOnly cookies.',
    next: { kind: 'app', app: 'store', action: 'Log in at the store as the demo user', logIn: true },
  },
  {
    after: 10,
    done: 13,
    say: 'Reading the cart needs no token in JavaScript: the browser attaches both cookies, and the backend finds the session and pushes its expiry out.',
    next: { kind: 'app', app: 'store', action: 'Click Cart in the store' },
  },
  {
    after: 13,
    done: 14,
    doneWhen: 'store-session-ended',
    say: 'Now we jump past the session’s idle timeout. The session dies on the server, while the browser keeps both cookies.',
    next: { kind: 'inspector', action: 'advance-while', label: 'A while later' },
  },
  {
    after: 13,
    done: 18,
    say: 'The next click meets a dead session. The backend quietly trades the refresh token for a new JWT and hands out a fresh session cookie; the user notices nothing.',
    next: { kind: 'app', app: 'store', action: 'Click Cart in the store' },
  },
  {
    after: 18,
    done: 19,
    doneWhen: 'store-refresh-token-expired',
    say: 'This time we go further, past the refresh token’s lifetime as well, so nothing is left that could renew the session.',
    next: { kind: 'inspector', action: 'advance-later', label: 'Later still' },
  },
  {
    after: 18,
    done: 23,
    say: 'The refresh fails at the identity server, the backend answers 401, and the app is back at its login form.',
    next: { kind: 'app', app: 'store', action: 'Click Cart in the store' },
  },
  {
    after: 23,
    done: 28,
    say: 'The forum belongs to the same company but lives on another origin. None of the store’s cookies go there, and this workflow has no single sign-on.',
    next: { kind: 'app', app: 'forum', action: 'Open the forum' },
  },
  {
    after: 28,
    done: 36,
    say: 'So the user types the password a second time. The forum gets its own session and its own refresh token, scoped to its origin.',
    next: { kind: 'app', app: 'forum', action: 'Log in at the forum as the demo user', logIn: true },
  },
  {
    after: 36,
    done: 41,
    say: 'Suppose an attacker got hold of the store’s refresh-token cookie. Sent with a made-up session id, it buys a brand-new session, as long as the token is still valid.',
    next: { kind: 'inspector', action: 'attack', attack: 'stolen-refresh-token', label: 'Run the stolen refresh token attack' },
  },
  {
    after: 41,
    done: 44,
    say: 'A stolen session cookie is even simpler: the backend cannot tell the attacker from the user, and it extends the session for them.',
    next: { kind: 'inspector', action: 'attack', attack: 'stolen-session-cookie', label: 'Run the stolen session cookie attack' },
  },
];
