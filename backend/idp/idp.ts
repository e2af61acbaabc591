import type { LoginscopeContext } from '../context.js';
import type { InternalEventType } from '../trace/types.js';
import type { Directory } from './directory.js';
import type { SigningKeys } from './keys.js';
import type { RefreshTokenPolicy, ScopeHandlingPolicy } from './policy.js';
import type { IdentityStore } from './store.js';

/** What every part of the identity server is built from; made once in createIdentityServer. */
export interface Idp {
  ctx: LoginscopeContext;
  store: IdentityStore;
  directory: Directory;
  /** `http://login.localhost:<port>`; also the tenant issuer (`iss`). */
  publicUrl: string;
  issuer: string;
  /** The one API key, made on first start and kept; never logged. */
  apiKey: string;
  /** Signs the hosted form's CSRF tokens; made on first start and kept, never shown. */
  formKey: string;
  keys: Promise<SigningKeys>;
  policy: RefreshTokenPolicy;
  /** FusionAuth's `oauthConfiguration.scopeHandlingPolicy`, the same for both applications (config, default Strict). */
  scopeHandling: ScopeHandlingPolicy;
  now(): number;
  emit(type: Extract<InternalEventType, `idp.${string}`>, data: Record<string, unknown>): void;
}
