import { stolenRefreshToken, stolenSessionCookie } from '../../attacks/stolen-cookies.js';
import type { Workflow } from '../types.js';
import { nativeLoginRoutes, resumeWithRefreshToken } from './routes.js';
import { nativeRefreshSteps } from './steps.js';
import { nativeRefreshTrack } from './track.js';

export const nativeRefresh: Workflow = {
  id: 'native-refresh',
  title: 'Native login to the backend, with sessions and refresh tokens',
  seed: 'native-login-sessions-refresh-tokens.txt',
  steps: nativeRefreshSteps,
  track: nativeRefreshTrack,
  routes: (_app, services) => nativeLoginRoutes(services),
  resume: resumeWithRefreshToken,
  attacks: (deps) => [stolenRefreshToken(deps), stolenSessionCookie(deps)],
  // Both switches act on the implicit grant's pages and start-session API, which this workflow does not have.
  switches: [],
};
