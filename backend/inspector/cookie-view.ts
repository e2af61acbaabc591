/** A cookie as the inspector shows it, whether rebuilt from observed Set-Cookie or read from Electron's real jar. */
export interface CookieView {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None' | 'Unspecified';
  /** Epoch ms; absent for a browser-session cookie. */
  expires?: number;
  /** A browser-session cookie: gone when the browser closes, however long the server-side session lives. */
  session: boolean;
}

/** Where the cookie panel's data comes from: Electron's jar, or the jar rebuilt from what the server saw ("as observed"). */
export type CookieSource = 'electron' | 'observed';
