import { CookieJar } from 'tough-cookie';
import type { CookieView } from '../inspector/cookie-view.js';
import type { TraceBus } from './bus.js';
import { isExchange } from './types.js';

const SAME_SITE: Record<string, CookieView['sameSite']> = { lax: 'Lax', strict: 'Strict', none: 'None' };

/**
 * The browser's cookie jar as the loopback server can know it: rebuilt with tough-cookie from every
 * Set-Cookie the browser received. Web mode shows this, labelled "as observed".
 */
export class ObservedJar {
  private jar = new CookieJar();

  constructor(bus: TraceBus) {
    bus.subscribe((event) => {
      if (!isExchange(event) || event.actor !== 'browser' || event.origin === 'external') return;
      for (const line of event.setCookies) this.jar.setCookieSync(line, event.url, { ignoreError: true });
    });
  }

  reset(): void {
    this.jar = new CookieJar();
  }

  /** Cookies grouped by the host they belong to (e.g. `store.localhost`). */
  byHost(): Record<string, CookieView[]> {
    const out: Record<string, CookieView[]> = {};
    for (const c of this.jar.serializeSync()?.cookies ?? []) {
      const domain = String(c.domain ?? '');
      const expires = c.expires && c.expires !== 'Infinity' ? Date.parse(String(c.expires)) : undefined;
      const view: CookieView = {
        name: String(c.key ?? ''),
        value: String(c.value ?? ''),
        domain,
        hostOnly: Boolean(c.hostOnly),
        path: String(c.path ?? '/'),
        secure: Boolean(c.secure),
        httpOnly: Boolean(c.httpOnly),
        sameSite: SAME_SITE[String(c.sameSite ?? '').toLowerCase()] ?? 'Unspecified',
        ...(expires !== undefined && !Number.isNaN(expires) && { expires }),
        session: expires === undefined || Number.isNaN(expires),
      };
      (out[domain] ??= []).push(view);
    }
    return out;
  }
}
