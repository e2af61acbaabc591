import { stolenSessionCookie } from '../../attacks/stolen-cookies.js';
import { fragmentTheft, tokenInjection } from '../../attacks/token-attacks.js';
import { redirectUri } from '../../hosts.js';
import type { Workflow } from '../types.js';
import { resumeSessionOnly, startSessionRoutes } from './routes.js';
import { implicitSessionSteps } from './steps.js';
import { implicitSessionTrack } from './track.js';

export const implicitSession: Workflow = {
  id: 'implicit-session',
  title: 'OAuth implicit grant, with sessions',
  seed: 'oauth-implicit-grant-sessions.txt',
  steps: implicitSessionSteps,
  track: implicitSessionTrack,
  routes: (_app, services) => startSessionRoutes(services),
  resume: resumeSessionOnly,
  attacks: (deps) => [stolenSessionCookie(deps), fragmentTheft(deps), tokenInjection(deps)],
  switches: ['injectedScript', 'audienceCheck'],
  clientInfo: (services) => ({
    authorize: {
      url: `${services.settings.publicUrl}/oauth2/authorize`,
      clientId: services.applicationId,
      redirectUri: redirectUri(services.app, services.ctx.port),
    },
    // "Log out everywhere" sends the browser here to end the SSO session (the discovery document's end_session_endpoint).
    endSession: { url: `${services.settings.publicUrl}/oauth2/logout` },
  }),
};
