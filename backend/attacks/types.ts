import type { AppServices } from '../app/app-services.js';
import type { DemoSwitches } from '../demo-switches.js';
import type { Defences } from '../defences/defences.js';
import type { TraceBus } from '../trace/bus.js';
import type { Loot } from './attacker-origin.js';
import type { Victim } from './victim.js';

/** What every scripted attack is built from: the bus it replays through, both apps, the switches, the victim. */
export interface AttackDeps {
  bus: TraceBus;
  store: AppServices;
  forum: AppServices;
  switches: DemoSwitches;
  /** Read only, to say which defence refused an attack. */
  defences: Pick<Defences, 'isOn'>;
  victim: Victim;
  loot: Loot[];
  now(): number;
}

export interface AttackOutcome {
  outcome: string;
  succeeded: boolean;
  /** `armed`: a set-up step (not a result); `refused`: the attack ran and a defence stopped it; `not-ready`: it did not run. */
  kind: 'worked' | 'refused' | 'armed' | 'not-ready';
  /** The HTTP status of the attacker's last replay; 0 when the attack was stopped before any (the browser refused it). */
  status: number;
  events: number[];
}

/** What an attack needs before it can run, and how the inspector can bring it about. */
export interface AttackReadiness {
  /** Always shown: what the attack needs, in one sentence. */
  needs: string;
  /** Set when it is missing now: what is missing, in one sentence. */
  missing?: string;
  /** What "log the user in first" does: log in to this app for real, in the browser. */
  fix?: 'log-in-store' | 'log-in-forum';
}

/** How a run goes, where an attack has variants (POST /api/attacks/:id with a JSON body). */
export interface AttackOptions {
  /** stolen-session-cookie: the careful thief sends the victim's own user agent (client binding is weak). */
  copyUserAgent?: boolean;
  /** stolen-refresh-token: `steal` only copies the cookie now; `replay-stolen` replays the copy taken earlier. */
  mode?: 'now' | 'steal' | 'replay-stolen';
}

export const ATTACK_MODES = ['now', 'steal', 'replay-stolen'] as const;

export interface Attack {
  id: string;
  title: string;
  readiness(): AttackReadiness;
  run(options?: AttackOptions): Promise<AttackOutcome>;
}

