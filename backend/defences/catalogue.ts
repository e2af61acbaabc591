import type { WorkflowId } from '../workflows/types.js';

/** The defences a presenter can switch on (issue 15). One list: the API, the state and the attack panel read it. */
export const DEFENCE_IDS = ['rt-rotation', 'short-absolute-timeout', 'client-binding', 'strict-csp', 'audience-check'] as const;
export type DefenceId = (typeof DEFENCE_IDS)[number];

export interface Defence {
  id: DefenceId;
  title: string;
  /** What it really changes, in one sentence of our own. */
  explanation: string;
  /** The clause that recommends it. */
  clause: string;
  workflows: WorkflowId[];
}

/** How short the short absolute timeout is. */
export const SHORT_ABSOLUTE_SECONDS = 15 * 60;

export const DEFENCES: Record<DefenceId, Defence> = {
  'rt-rotation': {
    id: 'rt-rotation',
    title: 'Refresh-token rotation with reuse detection',
    explanation: 'The identity server hands out a new refresh token at every use and revokes the whole token when an old value comes back, so a stolen copy works once at most and its reuse ends it for both sides.',
    clause: 'RFC 9700 §4.14.2 (refresh token rotation) and §2.2.2; FusionAuth refreshTokenUsagePolicy: OneTimeUse with refreshTokenRevocationPolicy.onOneTimeTokenReuse',
    workflows: ['native-refresh'],
  },
  'short-absolute-timeout': {
    id: 'short-absolute-timeout',
    title: 'Short absolute session timeout',
    explanation: `New sessions end ${SHORT_ABSOLUTE_SECONDS / 60} minutes after login however busy they are, so a stolen session cookie works only inside that window.`,
    clause: 'OWASP Session Management Cheat Sheet, “Absolute Timeout”',
    workflows: ['native-refresh', 'implicit-session'],
  },
  'client-binding': {
    id: 'client-binding',
    title: 'Session bound to the client',
    explanation: 'The session remembers the user agent and address that logged in and ends when a request comes with others; a thief who copies the user agent gets through, so this is a weak defence.',
    clause: 'OWASP Session Management Cheat Sheet, “Binding the Session ID to Other User Properties”',
    workflows: ['native-refresh', 'implicit-session'],
  },
  'strict-csp': {
    id: 'strict-csp',
    title: 'Strict content security policy',
    explanation: 'The app pages’ CSP names no third-party origin (img-src and connect-src stay on the app’s own origin), so even a compromised script include cannot send the token in the URL to attacker.localhost: the browser refuses the request.',
    clause: 'RFC 9700 §4.3.2 and §2.1.2 (token leakage from the URL); OWASP Content Security Policy Cheat Sheet',
    workflows: ['implicit-session'],
  },
  'audience-check': {
    id: 'audience-check',
    title: 'Audience check on the start-session API',
    explanation: 'The start-session API accepts only a JWT whose aud is this app’s client id, so a token issued for the forum cannot open a store session.',
    clause: 'RFC 9700 §4.10.2 (audience-restricted access tokens)',
    workflows: ['implicit-session'],
  },
};

export const isDefenceId = (id: string): id is DefenceId => (DEFENCE_IDS as readonly string[]).includes(id);
