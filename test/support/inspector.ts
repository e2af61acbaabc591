import { Browser, type HttpResponse } from './http.js';
import type { TestLoginscope } from './loginscope.js';

/** The inspector API as a script drives it: the launch token on every call. */
export class InspectorClient {
  private readonly http = new Browser();

  constructor(private readonly app: TestLoginscope) {}

  private call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<HttpResponse> {
    return this.http.fetch(`${this.app.urls.inspector}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.app.inspectorToken}` },
      ...(json !== undefined && { json }),
    });
  }

  async state<T = InspectorState>(): Promise<T> {
    return (await this.call('GET', '/state')).json<T>();
  }
  advance(seconds: number) {
    return this.call('POST', '/clock/advance', { seconds });
  }
  attack(id: string) {
    return this.call('POST', `/attacks/${id}`);
  }
  workflow(id: string) {
    return this.call('POST', '/workflow', { id });
  }
  switches(values: Record<string, boolean>) {
    return this.call('POST', '/switches', values);
  }
  expire(body: Record<string, unknown>) {
    return this.call('POST', '/expire', body);
  }
  post(path: string, json?: unknown) {
    return this.call('POST', path, json);
  }
  get(path: string) {
    return this.call('GET', path);
  }
}

export interface InspectorState {
  workflow: string;
  now: number;
  steps: Array<{ n: number; tag: string; label: string; phase: string; seen: boolean; count: number; lastEventId: number | null; firstSeen: number | null }>;
  cookies: Record<string, Array<{ name: string; value: string; httpOnly: boolean; hostOnly: boolean; sameSite: string; path: string; deleted?: { at: number; by: string }; beforeReset?: boolean }>>;
  sessions: Record<'store' | 'forum', Array<{ sid: string; status: string; endReason: string | null; userEmail: string | null; origin?: string }>>;
  idp: { refreshTokens: Array<Record<string, unknown>>; ssoSessions: Array<Record<string, unknown>> };
  switches: Record<string, boolean>;
}

/** The seed's own steps (an extra arrow, such as an added attack's, is tagged A1… instead of its number). */
export const seedSteps = <S extends { n: number; tag: string }>(state: { steps: S[] }): S[] => state.steps.filter((s) => s.tag === String(s.n));

/** The seed's steps in the order they were first seen, and those never seen. */
export function seenOrder(state: InspectorState): { order: number[]; unseen: number[] } {
  const steps = seedSteps(state);
  const seen = steps.filter((s) => s.seen).sort((a, b) => a.firstSeen! - b.firstSeen!);
  return { order: seen.map((s) => s.n), unseen: steps.filter((s) => !s.seen).map((s) => s.n) };
}
