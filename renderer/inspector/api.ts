import type { AppId, AttackOptions, AttackOutcome, ConnectionCheck, DefenceSettings, ExpireKind, InspectorState, Switches, TraceEvent } from './types.js';

const TOKEN_KEY = 'loginscope.inspector.token';

/**
 * The launch token arrives once in the page URL (`?token=`). Keep it for this tab only and take it out of
 * the address bar, so it is not left in history or shown on a projector.
 */
export function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TraceEntry = TraceEvent & { steps: number[] };

/** The inspector API on this origin (design.md "The outside contract"). */
export class InspectorApi {
  constructor(readonly token: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The inspector API answered ${res.status}.`);
    }
    return data as T;
  }

  state = () => this.call<InspectorState>('GET', '/state');
  trace = async () => (await this.call<{ events: TraceEntry[] }>('GET', '/trace')).events;
  switchWorkflow = (id: string) => this.call<{ workflow: string }>('POST', '/workflow', { id });
  reset = () => this.call<{ workflow: string }>('POST', '/reset');
  advance = (seconds: number) => this.call<{ now: number }>('POST', '/clock/advance', { seconds });
  expire = (kind: ExpireKind, target: { app?: AppId; id?: string } = {}) => this.call<{ expired: number }>('POST', '/expire', { kind, ...target });
  attack = (id: string, options?: AttackOptions) => this.call<AttackOutcome>('POST', `/attacks/${encodeURIComponent(id)}`, options);
  setSwitches = (change: Partial<Switches>) => this.call<{ switches: Switches }>('POST', '/switches', change);
  setDefences = (change: Partial<DefenceSettings>) => this.call<{ defences: DefenceSettings }>('POST', '/defences', change);
  checkIdentity = () => this.call<ConnectionCheck>('POST', '/identity/check');

  eventsUrl(): string {
    return `/api/events?token=${encodeURIComponent(this.token)}`;
  }

  harUrl(includeSecrets: boolean): string {
    return `/api/trace.har?token=${encodeURIComponent(this.token)}${includeSecrets ? '&include=secrets' : ''}`;
  }
}
