import type { AppServices } from './app/app-services.js';
import { safeSwitches, type DemoSwitches } from './demo-switches.js';
import { Defences } from './defences/defences.js';
import type { Loot } from './attacks/attacker-origin.js';
import type { AttackDeps, AttackOptions, AttackOutcome, AttackReadiness } from './attacks/types.js';
import type { LoginscopeContext } from './context.js';
import type { AppId } from './hosts.js';
import type { IdentityServer } from './idp/identity-server.js';
import type { CookieSource, CookieView } from './inspector/cookie-view.js';
import { ObservedJar } from './trace/observed-jar.js';
import { StepMatcher } from './trace/step-matcher.js';
import { WORKFLOWS } from './workflows/catalogue.js';
import type { Workflow, WorkflowId } from './workflows/types.js';

export type ExpireKind = 'session' | 'refresh-token' | 'sso-session';

/** A clean start: by Reset, or by switching the workflow. */
export interface DemoReset {
  cause: 'reset' | 'switch';
  workflow: WorkflowId;
  generation: number;
}

const REAL_TIME_SWEEP_MS = 15_000;

/**
 * The running demo: which workflow is shown, what the browser's jar holds, what the attacker took,
 * and the controls the inspector offers (switch, reset, expire, attack). Time and traffic stay real.
 */
export class Demo {
  readonly matcher: StepMatcher;
  readonly observedJar: ObservedJar;
  private workflowId: WorkflowId;
  private electronJar: Record<string, CookieView[]> | undefined;
  /** The defences a presenter can switch on (issue 15); all but the older audience check start off. */
  readonly defences: Defences;

  constructor(
    private readonly ctx: LoginscopeContext,
    private readonly apps: Record<AppId, AppServices>,
    private readonly identity: IdentityServer | undefined,
    readonly loot: Loot[],
    readonly switches: DemoSwitches,
  ) {
    this.workflowId = ctx.config.workflow;
    this.defences = new Defences(apps, identity, switches);
    this.matcher = new StepMatcher(ctx.bus);
    this.matcher.use(this.workflow.steps);
    this.observedJar = new ObservedJar(ctx.bus, ctx.clock);
    // Expiry is decided by the clock: when it is moved, sessions past their time end at once; as real time
    // passes, a slow sweep keeps the inspector's rows honest without waiting for the next lookup.
    const sweep = () => {
      for (const app of Object.values(this.apps)) app.sessions.sweep();
    };
    const stopSweepOnAdvance = ctx.clock.onAdvance(sweep);
    const sweeper = setInterval(sweep, REAL_TIME_SWEEP_MS);
    sweeper.unref();
    this.stop = () => {
      stopSweepOnAdvance();
      clearInterval(sweeper);
    };
  }

  /** Stops sweeping (on close): the databases are about to close. */
  readonly stop: () => void;

  get workflow(): Workflow {
    return WORKFLOWS[this.workflowId];
  }

  /**
   * Another workflow, from a clean start like Reset. An earlier walk's lit steps are not kept for switching back:
   * the sessions and tokens they showed are gone, and a diagram lit by them next to empty panels would not be true.
   */
  switchWorkflow(id: WorkflowId): void {
    this.workflowId = id;
    this.startClean('switch');
  }

  /** Back to a clean start for the shown workflow: no sessions, tokens, SSO sessions, loot or trace. Users, products and keys stay. */
  reset(): void {
    this.startClean('reset');
  }

  private startClean(cause: DemoReset['cause']): void {
    this.resetSystems();
    this.ctx.bus.clear();
    this.matcher.use(this.workflow.steps);
    this.announceReset(cause);
  }

  /** How many Resets and switches there have been: a page that saw another number has missed one. */
  generation = 0;
  private readonly resetListeners = new Set<(reset: DemoReset) => void>();

  /** The app pages (through their backends' event streams) and Electron's main process hear of each Reset here. */
  onReset(listener: (reset: DemoReset) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  private announceReset(cause: DemoReset['cause']): void {
    const reset: DemoReset = { cause, workflow: this.workflowId, generation: ++this.generation };
    this.ctx.bus.emit('state.reset', 'loginscope', { ...reset });
    for (const listener of this.resetListeners) listener(reset);
  }

  private resetSystems(): void {
    for (const app of Object.values(this.apps)) app.sessions.clear();
    this.identity?.admin.reset();
    this.loot.length = 0;
    Object.assign(this.switches, safeSwitches());
    this.defences.reset();
    this.observedJar.markBeforeReset();
  }

  /** Electron feeds its real jar here; from then on the inspector shows it instead of the observed one. */
  setElectronJar(cookies: CookieView[]): void {
    // No prototype: a cookie domain named `__proto__` is just a key here.
    const byHost = Object.create(null) as Record<string, CookieView[]>;
    for (const c of cookies) (byHost[c.domain.replace(/^\./, '')] ??= []).push(c);
    this.electronJar = byHost;
  }

  cookies(): { source: CookieSource; byHost: Record<string, CookieView[]> } {
    return this.electronJar ? { source: 'electron', byHost: this.electronJar } : { source: 'observed', byHost: this.observedJar.byHost() };
  }

  /** Expire one thing now (or every one of its kind), as "a while later" would. Returns how many ended. */
  expire(kind: ExpireKind, app?: AppId, id?: string): number {
    if (kind === 'session') {
      const targets = app ? [this.apps[app]] : Object.values(this.apps);
      let n = 0;
      for (const t of targets) {
        for (const row of t.sessions.rows()) {
          if (row.endedAt === null && (id === undefined || row.sid === id) && t.sessions.end(row.sid, 'forced')) n++;
        }
      }
      return n;
    }
    if (!this.identity) return 0;
    return kind === 'refresh-token' ? this.identity.admin.expireRefreshTokens(id, app) : this.identity.admin.expireSsoSessions(id);
  }

  private attackDeps(): AttackDeps {
    const admin = this.identity?.admin;
    return {
      bus: this.ctx.bus,
      store: this.apps.store,
      forum: this.apps.forum,
      switches: this.switches,
      defences: this.defences,
      victim: {
        cookie: (app, name) => (this.cookies().byHost[new URL(this.ctx.urls[app.app]).hostname] ?? []).find((c) => c.name === name && !c.deleted),
        refreshTokenStatus: (token) => {
          if (!admin) return undefined;
          const row = admin.refreshTokens().find((t) => t.token === token || t.rotations.includes(token));
          if (!row) return 'unknown';
          return row.token === token ? row.status : 'revoked';
        },
      },
      loot: this.loot,
      now: () => this.ctx.clock.now(),
    };
  }

  /** The shown workflow's attacks, each with what it needs and whether that is there now. */
  attackIds(): Array<{ id: string; title: string } & AttackReadiness> {
    return this.workflow.attacks(this.attackDeps()).map(({ id, title, readiness }) => ({ id, title, ...readiness() }));
  }

  async attack(id: string, options: AttackOptions = {}): Promise<AttackOutcome | undefined> {
    const attack = this.workflow.attacks(this.attackDeps()).find((a) => a.id === id);
    return attack?.run(options);
  }
}
