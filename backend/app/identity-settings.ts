import type { LoginscopeContext } from '../context.js';
import type { AppId } from '../hosts.js';
import type { IdentityInfo } from '../idp/identity-server.js';

/** Where the application backends find the identity server, embedded or a real FusionAuth; one shape for both. */
export interface IdentitySettings {
  /** What browsers are sent to (the authorize URL's origin). */
  publicUrl: string;
  /** What the backends call (Node cannot resolve *.localhost, so this goes through the loopback dispatcher when needed). */
  internalUrl: string;
  apiKey: string;
  tenantId?: string;
  applications: Record<AppId, { id: string; clientSecret?: string }>;
  /** The `iss` tokens carry; for a real FusionAuth it is read from its OpenID configuration. */
  issuer?: string;
  /** How backend calls appear in the trace. */
  traceOrigin: 'login' | 'external';
}

export function identitySettings(ctx: LoginscopeContext, embedded: IdentityInfo | undefined): IdentitySettings {
  const identity = ctx.config.identity;
  if (identity.kind === 'fusionauth') {
    return {
      publicUrl: identity.url.replace(/\/$/, ''),
      internalUrl: (identity.internalUrl ?? identity.url).replace(/\/$/, ''),
      apiKey: identity.apiKey,
      ...(identity.tenantId !== undefined && { tenantId: identity.tenantId }),
      applications: identity.applications,
      traceOrigin: 'external',
    };
  }
  if (!embedded) throw new Error('the embedded identity server must be running when identity.kind is embedded');
  return {
    publicUrl: embedded.publicUrl,
    internalUrl: embedded.publicUrl,
    apiKey: embedded.apiKey,
    tenantId: embedded.tenantId,
    issuer: embedded.issuer,
    applications: embedded.applications,
    traceOrigin: 'login',
  };
}
