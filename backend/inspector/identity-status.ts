import type { LoginscopeContext } from '../context.js';
import type { ConnectionCheckResult } from '../fusionauth/connection-check.js';

/** What the inspector knows about the identity server beyond its own state: the last connection check, and Electron's feed. */
export interface IdentityStatus {
  lastCheck?: ConnectionCheckResult;
  /** Clock time of the first browser↔FusionAuth exchange Electron's webRequest reported; until then those steps are not observable. */
  observedSince?: number;
}

const statuses = new WeakMap<LoginscopeContext, IdentityStatus>();

/** One status per running Loginscope (keyed by its context, so nothing else needs to carry it). */
export function identityStatus(ctx: LoginscopeContext): IdentityStatus {
  let status = statuses.get(ctx);
  if (!status) statuses.set(ctx, (status = {}));
  return status;
}

export const NOT_OBSERVED_REASON = 'not observed here (open in the desktop app)';

/**
 * Web mode cannot see the browser talking to a real FusionAuth (another host and port than our loopback server);
 * those steps are marked so rather than shown as missing, until Electron's webRequest feed reports one.
 */
export function stepObservability(ctx: LoginscopeContext, step: { from: string; to: string }): { observable: boolean; observableReason: string | null } {
  const browserToIdentity = (step.from === 'browser' && step.to === 'idp') || (step.from === 'idp' && step.to === 'browser');
  const hidden = browserToIdentity && ctx.config.identity.kind === 'fusionauth' && identityStatus(ctx).observedSince === undefined;
  return hidden ? { observable: false, observableReason: NOT_OBSERVED_REASON } : { observable: true, observableReason: null };
}
