import { z } from 'zod';

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
  /**
   * Deleted a moment ago (a Set-Cookie that expired it): shown struck through for a few seconds, then gone.
   * `at` is on the inspector's clock; `until` is the real time (epoch ms) when it leaves the panel.
   */
  deleted?: { at: number; by: string; until: number };
  /** Set before the last Reset or switch and not replaced or deleted since: the browser still holds it. */
  beforeReset?: boolean;
}

/** Where the cookie panel's data comes from: Electron's jar, or the jar rebuilt from what the server saw ("as observed"). */
export type CookieSource = 'electron' | 'observed';

/** What Electron's cookie feed posts (`POST /api/cookies/observed`): checked field by field, unknown fields dropped. */
export const observedCookies = z
  .array(
    z.object({
      name: z.string().max(4096),
      value: z.string().max(8192),
      domain: z.string().min(1).max(253),
      hostOnly: z.boolean().default(false),
      path: z.string().max(1024).default('/'),
      secure: z.boolean().default(false),
      httpOnly: z.boolean().default(false),
      sameSite: z.enum(['Lax', 'Strict', 'None', 'Unspecified']).default('Unspecified'),
      expires: z.number().finite().optional(),
      session: z.boolean().default(true),
    }),
  )
  .max(2000) satisfies z.ZodType<CookieView[], unknown>;
