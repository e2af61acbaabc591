import type { IdentitySettings } from '../app/identity-settings.js';
import type { LoginscopeContext } from '../context.js';
import { identityStatus } from '../inspector/identity-status.js';
import { checkIdentityConnection, IdentityConnectionError, type ConnectionCheckResult } from './connection-check.js';

export type { ConnectionCheckResult } from './connection-check.js';

/**
 * With a real FusionAuth configured, start-up checks the connection: a wrong URL or API key stops it
 * (IdentityConnectionError, exit code 2); other problems are kept for the terminal and the inspector.
 * The embedded server is ours and needs no check at start (the inspector can still ask for one).
 */
export async function checkAtStart(ctx: LoginscopeContext, settings: IdentitySettings): Promise<ConnectionCheckResult | undefined> {
  if (ctx.config.identity.kind !== 'fusionauth') return undefined;
  const result = await checkIdentityConnection({ settings, port: ctx.port });
  identityStatus(ctx).lastCheck = result;
  if (result.fatal) throw new IdentityConnectionError(result);
  return result;
}
