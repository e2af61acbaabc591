import type { CookiesSetDetails, Session } from 'electron';
import { Cookie } from 'tough-cookie';
import type { OriginUrls } from '../backend/hosts.js';
import type { TraceBus } from '../backend/trace/bus.js';
import { isExchange, type TraceEvent } from '../backend/trace/types.js';
import type { Tabs } from './tabs.js';

const SAME_SITE: Record<string, CookiesSetDetails['sameSite']> = { lax: 'lax', strict: 'strict', none: 'no_restriction' };

/**
 * What a scripted attacker held (the cookies it replayed) and was handed (Set-Cookie) at an application origin,
 * as cookies for the attacker's own browser partition. Everything else yields nothing.
 */
export function stolenCookies(event: TraceEvent, urls: OriginUrls): CookiesSetDetails[] {
  if (!isExchange(event) || event.actor !== 'attacker' || (event.origin !== 'store' && event.origin !== 'forum')) return [];
  const url = `${urls[event.origin]}/`;
  const replayed: CookiesSetDetails[] = Object.entries(event.requestCookies).map(([name, value]) => ({
    url,
    name,
    value,
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
  }));
  const handed = event.setCookies.flatMap((line): CookiesSetDetails[] => {
    const cookie = Cookie.parse(line);
    if (!cookie) return [];
    const expires = cookie.expiryTime();
    return [
      {
        url,
        name: cookie.key,
        value: cookie.value,
        path: cookie.path ?? '/',
        httpOnly: cookie.httpOnly,
        secure: cookie.secure,
        sameSite: SAME_SITE[cookie.sameSite?.toLowerCase() ?? ''] ?? 'unspecified',
        ...(expires !== undefined && Number.isFinite(expires) && { expirationDate: expires / 1000 }),
      },
    ];
  });
  // What the server handed over replaces what was replayed under the same name (a fresh session for a forged one).
  return [...new Map([...replayed, ...handed].map((cookie) => [`${cookie.name};${cookie.path}`, cookie])).values()];
}

export interface AttackerMirrorOptions {
  bus: TraceBus;
  urls: OriginUrls;
  /** The attacker tab's partition. */
  session: Session;
  tabs: Tabs;
  /** One attack is several exchanges; the tab opens once, after the last. */
  settleMs?: number;
}

/**
 * Puts what the scripted attacker stole into the attacker tab's jar and opens the victim app there,
 * so the audience sees the attacker's browser get the victim's page. Returns the unsubscribe.
 */
export function mirrorStolenCookies({ bus, urls, session, tabs, settleMs = 300 }: AttackerMirrorOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = bus.subscribe((event) => {
    const cookies = stolenCookies(event, urls);
    if (cookies.length === 0) return;
    const target = cookies[0]!.url;
    void Promise.all(cookies.map((cookie) => session.cookies.set(cookie))).then(
      () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          tabs.open('attacker', target);
          tabs.select('attacker');
        }, settleMs);
      },
      (err: Error) => console.warn(`Loginscope: could not give the attacker tab its stolen cookies: ${err.message}`),
    );
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
