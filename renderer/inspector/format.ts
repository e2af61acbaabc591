/** Small, pure text helpers for the panels. Times are epoch ms on the server's clock. */

const pad = (n: number) => String(n).padStart(2, '0');

/** A span as the audience reads it: `45s`, `9m 58s`, `1h 02m`, `3d 4h`. */
export function duration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${pad(m % 60)}m`;
  const d = Math.floor(h / 24);
  if (d < 60) return `${d}d ${h % 24}h`;
  // Far-off spans as people say them: "25549d" means nothing to a room, "70 years" does.
  if (d < 730) return `${Math.round(d / 30.44)} months`;
  return `${Math.round(d / 365.25)} years`;
}

export interface Countdown {
  text: string;
  expired: boolean;
  /** Under a minute left: worth drawing the eye. */
  soon: boolean;
}

export function countdown(at: number | undefined, now: number): Countdown {
  if (at === undefined) return { text: 'session cookie (until the browser closes)', expired: false, soon: false };
  const left = at - now;
  if (left <= 0) return { text: `expired ${duration(left)} ago`, expired: true, soon: false };
  return { text: `in ${duration(left)}`, expired: false, soon: left < 60_000 };
}

export function ago(at: number, now: number): string {
  const span = now - at;
  return span < 1000 ? 'just now' : `${duration(span)} ago`;
}

/** Wall-clock time of day on the server clock, local zone. */
export function clockTime(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function clockDate(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function truncate(value: string, max = 24): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

export function shortId(id: string): string {
  return id.length <= 8 ? id : id.slice(0, 8);
}

export const END_REASONS: Record<string, string> = {
  'expired-idle': 'expired: idle too long',
  'expired-absolute': 'expired: absolute lifetime reached',
  destroyed: 'destroyed by the backend',
  logout: 'user logged out',
  replaced: 'replaced by a new session',
  forced: 'expired now (inspector)',
  'client-mismatch': 'ended: another client used it (client binding)',
};
