import type { IdentitySettings } from '../app/identity-settings.js';
import { createClock, type Clock } from '../clock.js';
import type { LoginscopeContext } from '../context.js';
import { identityStatus } from '../inspector/identity-status.js';
import { checkIdentityConnection, IdentityConnectionError, type CheckProblem, type CheckTarget, type ConnectionCheckResult } from './connection-check.js';
import { DEMO_API_KEY } from './kickstart.js';

export type { ConnectionCheckResult } from './connection-check.js';

/**
 * With a real FusionAuth configured, start-up checks the connection: a wrong URL or API key stops it
 * (IdentityConnectionError, exit code 2); other problems are kept for the terminal and the inspector.
 * With the bundled kickstart's config, a FusionAuth whose kickstart has not finished yet is waited for.
 * The embedded server is ours and needs no check at start (the inspector can still ask for one).
 */
export async function checkAtStart(ctx: LoginscopeContext, settings: IdentitySettings): Promise<ConnectionCheckResult | undefined> {
  if (ctx.config.identity.kind !== 'fusionauth') return undefined;
  const target = { settings, port: ctx.port, actorHeader: ctx.bus.actorHeader('store-backend') };
  const result = isBundledKickstart(settings) ? await checkUntilKickstarted(target, { progress: (line) => console.log(line) }) : await checkIdentityConnection(target);
  identityStatus(ctx).lastCheck = result;
  if (result.fatal) throw new IdentityConnectionError(result);
  return result;
}

/** The config of assets/fusionauth/: its API key exists nowhere but in the FusionAuth our kickstart made. */
export function isBundledKickstart(settings: Pick<IdentitySettings, 'apiKey'>): boolean {
  return settings.apiKey === DEMO_API_KEY;
}

/**
 * What the check found missing that the kickstart has not created yet, in the order kickstart creates things:
 * the API key (refused), an application, the demo user. Undefined when nothing is missing that way.
 */
export function kickstartPending(result: ConnectionCheckResult): string | undefined {
  const has = (check: CheckProblem['check']) => result.problems.some((p) => p.check === check);
  if (result.fatal) return has('apiKey') ? 'it does not accept the API key yet' : undefined;
  if (has('application')) return 'the store and forum applications are not all there yet';
  if (has('demoUser')) return 'the demo user is not there yet';
  return undefined;
}

export interface KickstartWaitOptions {
  /** How long to keep asking, from the first check. */
  limitMs?: number;
  /** Pause between checks. */
  intervalMs?: number;
  /** Real time by default: a real FusionAuth's kickstart runs on it, not on the inspector's clock. */
  clock?: Pick<Clock, 'now'>;
  /** Resolves after `ms`; tests pass one that moves their clock instead. */
  wait?: (ms: number) => Promise<void>;
  /** One line each time what is missing changes, and every `progressEveryMs` while it stays the same. */
  progress?: (line: string) => void;
  progressEveryMs?: number;
  check?: (target: CheckTarget) => Promise<ConnectionCheckResult>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The check, repeated while FusionAuth answers but its kickstart has not finished (kickstart creates the API key
 * only after FusionAuth answers, then the key, the applications and the user, one request at a time). Gives up
 * after `limitMs` with the last result; a refused key then says the kickstart did not finish.
 */
export async function checkUntilKickstarted(target: CheckTarget, options: KickstartWaitOptions = {}): Promise<ConnectionCheckResult> {
  const { limitMs = 120_000, intervalMs = 2_000, progressEveryMs = 10_000, clock = createClock(), wait = pause, check = checkIdentityConnection } = options;
  const started = clock.now();
  let lastReason: string | undefined;
  let lastLineAt = -Infinity;
  for (;;) {
    const result = await check(target);
    const reason = kickstartPending(result);
    if (!reason) return result;
    const now = clock.now();
    const left = limitMs - (now - started);
    if (left <= 0) return gaveUp(result, Math.round((now - started) / 1000));
    if (reason !== lastReason || now - lastLineAt >= progressEveryMs) {
      options.progress?.(`Waiting for FusionAuth's kickstart at ${result.url}: ${reason} (giving up in ${Math.ceil(left / 1000)} s).`);
      lastReason = reason;
      lastLineAt = now;
    }
    await wait(Math.min(intervalMs, left));
  }
}

/** After the wait, a refused bundled key is no longer "maybe not yet": say where the kickstart went wrong. */
function gaveUp(result: ConnectionCheckResult, seconds: number): ConnectionCheckResult {
  if (!result.fatal) return result;
  const problems = result.problems.map((p) =>
    p.check === 'apiKey'
      ? { ...p, message: `FusionAuth at ${result.url} still refuses the bundled kickstart's API key after ${seconds} s: its kickstart did not run or did not finish; look for KickstartRunner's "Summary:" or "Failed to execute request" in \`docker compose -f assets/fusionauth/docker-compose.yml logs fusionauth\`, or start over with \`docker compose -f assets/fusionauth/docker-compose.yml down -v\`.` }
      : p,
  );
  return { ...result, problems };
}
