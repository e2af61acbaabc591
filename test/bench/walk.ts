import { Browser, type HttpResponse } from '../support/http.js';
import { walkNativeRefresh } from '../support/native-refresh-walk.js';

export { DEMO } from '../support/native-refresh-walk.js';

/** Where a running Loginscope answers, as read from its ready line. */
export interface Target {
  port: number;
  token: string;
}

export const urlsOf = (port: number) => ({
  store: `http://store.localhost:${port}`,
  forum: `http://forum.localhost:${port}`,
  inspector: `http://inspector.localhost:${port}`,
});

/** The CLI's defaults (backend/config.ts): the walk moves the clock past them. */
const IDLE_SECONDS = 600;
const REFRESH_MINUTES = 60;

/** The inspector API as a script drives it, with the launch token. */
export class Inspector {
  private readonly http = new Browser();
  constructor(private readonly t: Target) {}
  call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<HttpResponse> {
    return this.http.fetch(`${urlsOf(this.t.port).inspector}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.t.token}` },
      ...(json !== undefined && { json }),
    });
  }
}

/**
 * The full native-refresh walk (test/support/native-refresh-walk.ts), timed. Returns the wall time in ms;
 * the walk only counts if the inspector then reports every step seen.
 */
export async function nativeRefreshWalk(t: Target): Promise<number> {
  const inspector = new Inspector(t);
  const { store, forum } = urlsOf(t.port);
  const started = performance.now();
  await walkNativeRefresh({ store, forum, inspector: (path, json) => inspector.call('POST', path, json), idleSeconds: IDLE_SECONDS, refreshMinutes: REFRESH_MINUTES });
  const elapsed = performance.now() - started;

  // Outside the timing: the walk is only counted if the inspector saw every step.
  const state = (await inspector.call('GET', '/state')).json<{ steps: Array<{ n: number; seen: boolean }> }>();
  const unseen = state.steps.filter((st) => !st.seen).map((st) => st.n);
  if (unseen.length) throw new Error(`walk: steps never seen: ${unseen.join(', ')}`);
  return elapsed;
}
