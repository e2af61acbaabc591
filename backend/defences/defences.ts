import type { AppServices } from '../app/app-services.js';
import type { DemoSwitches } from '../demo-switches.js';
import type { AppId } from '../hosts.js';
import type { IdentityServer } from '../idp/identity-server.js';
import type { RefreshTokenPolicy } from '../idp/policy.js';
import { DEFENCE_IDS, SHORT_ABSOLUTE_SECONDS, type DefenceId } from './catalogue.js';

export type DefenceSettings = Record<DefenceId, boolean>;

/** Why a change was refused: a defence this instance cannot switch (a real FusionAuth keeps its own policy). */
export class DefenceUnavailableError extends Error {}

/**
 * The defences' settings, and what each really changes when switched: the identity server's refresh-token policy,
 * the session stores' absolute timeout and client binding, the app pages' CSP, the start-session API's audience check (a demo switch
 * that predates the defences and keeps its name there).
 */
export class Defences {
  private readonly on = new Set<DefenceId>();
  private readonly initialPolicy: Pick<RefreshTokenPolicy, 'usage' | 'revokeOnOneTimeTokenReuse'> | undefined;

  constructor(
    private readonly apps: Record<AppId, AppServices>,
    private readonly identity: IdentityServer | undefined,
    private readonly switches: DemoSwitches,
  ) {
    const policy = identity?.admin.refreshTokenPolicy();
    this.initialPolicy = policy && { usage: policy.usage, revokeOnOneTimeTokenReuse: policy.revokeOnOneTimeTokenReuse };
  }

  settings(): DefenceSettings {
    const out = Object.create(null) as DefenceSettings;
    for (const id of DEFENCE_IDS) out[id] = this.isOn(id);
    return { ...out };
  }

  isOn(id: DefenceId): boolean {
    return id === 'audience-check' ? this.switches.audienceCheck : this.on.has(id);
  }

  /** Checks every change first, then applies them all: a refused change leaves every setting as it was. */
  set(changes: Partial<DefenceSettings>): DefenceSettings {
    const entries = Object.entries(changes) as Array<[DefenceId, boolean]>;
    if (!this.identity && entries.some(([id, value]) => id === 'rt-rotation' && value)) {
      throw new DefenceUnavailableError('rt-rotation changes the embedded identity server’s refresh-token policy; with a real FusionAuth, set refreshTokenUsagePolicy: OneTimeUse and onOneTimeTokenReuse in its tenant.');
    }
    for (const [id, value] of entries) this.apply(id, value);
    return this.settings();
  }

  /** Reset: every defence back to its start (the audience check is reset with the demo switches). */
  reset(): void {
    for (const id of DEFENCE_IDS) if (id !== 'audience-check') this.apply(id, false);
  }

  private apply(id: DefenceId, value: boolean): void {
    if (id === 'audience-check') {
      this.switches.audienceCheck = value;
      return;
    }
    if (value) this.on.add(id);
    else this.on.delete(id);
    const stores = Object.values(this.apps).map((a) => a.sessions);
    switch (id) {
      case 'rt-rotation':
        if (this.identity && this.initialPolicy) {
          this.identity.admin.setRefreshTokenPolicy(value ? { usage: 'OneTimeUse', revokeOnOneTimeTokenReuse: true } : this.initialPolicy);
        }
        break;
      case 'short-absolute-timeout':
        for (const s of stores) s.setAbsoluteSeconds(value ? SHORT_ABSOLUTE_SECONDS : undefined);
        break;
      case 'client-binding':
        for (const s of stores) s.bindsClient = value;
        break;
      case 'strict-csp':
        for (const a of Object.values(this.apps)) a.pageDefences.strictCsp = value;
        break;
    }
  }
}
