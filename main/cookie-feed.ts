import type { Cookie, Session } from 'electron';
import type { CookieChange, CookieChangeCause, CookieView, ObservedCookies } from './ipc-contract.js';

const SAME_SITE: Record<Cookie['sameSite'], CookieView['sameSite']> = {
  lax: 'Lax',
  strict: 'Strict',
  no_restriction: 'None',
  unspecified: 'Unspecified',
};

/** Electron's cookie → the inspector's. Electron writes domain cookies with a leading dot; hostOnly says which is which. */
export function toCookieView(cookie: Cookie): CookieView {
  const rawDomain = cookie.domain ?? '';
  const session = cookie.session ?? cookie.expirationDate === undefined;
  return {
    name: cookie.name,
    value: cookie.value,
    domain: rawDomain.replace(/^\./, ''),
    hostOnly: cookie.hostOnly ?? !rawDomain.startsWith('.'),
    path: cookie.path ?? '/',
    secure: cookie.secure ?? false,
    httpOnly: cookie.httpOnly ?? false,
    sameSite: SAME_SITE[cookie.sameSite],
    ...(!session && cookie.expirationDate !== undefined && { expires: Math.round(cookie.expirationDate * 1000) }),
    session,
  };
}

export interface CookieFeedOptions {
  session: Session;
  partition: string;
  post(snapshot: ObservedCookies): Promise<unknown>;
  /** Changes within this window go out as one snapshot (a login sets several cookies at once). */
  batchMs?: number;
}

export interface CookieFeed {
  /** Posts the jar now, with the changes collected so far. */
  flush(): Promise<void>;
  stop(): void;
}

/** The real jar of one partition, fed to the inspector: a snapshot at start, then after every batch of changes. */
export function createCookieFeed({ session, partition, post, batchMs = 150 }: CookieFeedOptions): CookieFeed {
  let changes: CookieChange[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = changes;
    changes = [];
    try {
      const cookies = (await session.cookies.get({})).map(toCookieView);
      await post({ source: 'electron', partition, cookies, changes: batch });
    } catch (err) {
      console.warn(`Loginscope: could not read the ${partition} cookie jar: ${(err as Error).message}`);
    }
  };
  const schedule = () => {
    timer ??= setTimeout(() => void flush(), batchMs);
  };
  const onChanged = (_event: Electron.Event, cookie: Cookie, cause: CookieChangeCause, removed: boolean) => {
    changes.push({ cookie: toCookieView(cookie), cause, removed });
    schedule();
  };

  session.cookies.on('changed', onChanged);
  schedule();
  return {
    flush,
    stop() {
      session.cookies.off('changed', onChanged);
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
