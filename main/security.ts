import type { Session, WebContents, WebPreferences } from 'electron';

/** The only preferences a view may choose; the security switches below cannot be overridden by a caller. */
export type ViewPreferences = Pick<WebPreferences, 'partition' | 'preload' | 'additionalArguments'>;

export function secureWebPreferences(view: ViewPreferences): WebPreferences {
  return {
    ...view,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  };
}

/**
 * Our origins plus the configured external FusionAuth. Compared as `URL.origin`, so a look-alike host
 * (`store.localhost.evil.test`), another port or another scheme never matches.
 */
export function navigationAllowlist(ourOrigins: readonly string[], externalIdentityUrl?: string): ReadonlySet<string> {
  const origins = ourOrigins.map((url) => new URL(url).origin);
  if (externalIdentityUrl) origins.push(new URL(externalIdentityUrl).origin);
  return new Set(origins);
}

export function isAllowedNavigation(url: string, allowed: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // `javascript:`, `file:`, `data:` and friends have opaque or null origins; only web origins can be ours.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return allowed.has(parsed.origin);
}

export function guardNavigation(contents: WebContents, allowed: ReadonlySet<string>): void {
  const block = (event: Electron.Event<{ url: string }>) => {
    if (!isAllowedNavigation(event.url, allowed)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
}

/** No page opens windows: the demo's flows are top-level navigations in the tab they start in. */
export function denyWindowOpen(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The one permission any page gets: the inspector's copy buttons call navigator.clipboard.writeText. */
const INSPECTOR_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isAllowedPermission(permission: string, requestingUrl: string, inspectorOrigin: string | undefined): boolean {
  if (inspectorOrigin === undefined || !INSPECTOR_PERMISSIONS.has(permission)) return false;
  try {
    return new URL(requestingUrl).origin === inspectorOrigin;
  } catch {
    return false;
  }
}

/**
 * Camera, notifications, clipboard reads and the rest are denied: nothing in the demo needs them. With the inspector
 * origin, its pages may write to the clipboard. The check and the request handler answer alike, so a page never
 * sees "granted" and then a refused request.
 */
export function limitPermissions(session: Session, inspectorOrigin?: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isAllowedPermission(permission, details.requestingUrl, inspectorOrigin)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, inspectorOrigin));
}

export function blockWebviews(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every guard, for every web contents the app ever creates (wired to `app.on('web-contents-created')`). */
export function hardenContents(contents: WebContents, allowed: ReadonlySet<string>): void {
  denyWindowOpen(contents);
  guardNavigation(contents, allowed);
  blockWebviews(contents);
}
