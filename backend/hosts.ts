/** The origins Loginscope serves from one loopback server, told apart by the Host header. */
export const HOST_ROLES = ['store', 'forum', 'login', 'inspector', 'attacker'] as const;
export type HostRole = (typeof HOST_ROLES)[number];

/** The two applications of the tenant; each gets its own application backend. */
export const APPS = ['store', 'forum'] as const;
export type AppId = (typeof APPS)[number];

export const LOOPBACK = '127.0.0.1';

export function hostName(role: HostRole): string {
  return `${role}.localhost`;
}

export function originUrl(role: HostRole, port: number): string {
  return `http://${hostName(role)}:${port}`;
}

export type OriginUrls = Record<HostRole, string>;

export function originUrls(port: number): OriginUrls {
  return Object.fromEntries(HOST_ROLES.map((role) => [role, originUrl(role, port)])) as OriginUrls;
}

/**
 * The allowlist: a Host header names one of our origins on our port, or nothing.
 * Anything else (a DNS-rebinding page, a bare IP) gets no role and is refused by the caller.
 */
export function roleForHost(hostHeader: string | undefined, port: number, served: readonly HostRole[] = HOST_ROLES): HostRole | undefined {
  if (!hostHeader) return undefined;
  const match = /^([a-z]+)\.localhost:(\d+)$/.exec(hostHeader.toLowerCase());
  if (!match || Number(match[2]) !== port) return undefined;
  const role = match[1] as HostRole;
  return served.includes(role) ? role : undefined;
}

/** The implicit grant's redirect URI on an app's origin (outside contract: `/oauth-redirect`). */
export function redirectUri(app: AppId, port: number): string {
  return `${originUrl(app, port)}/oauth-redirect`;
}
