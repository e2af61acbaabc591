import { Cookie, CookieJar } from 'tough-cookie';
import type { Clock } from '../clock.js';
import type { CookieView } from '../inspector/cookie-view.js';
import type { TraceBus } from './bus.js';
import { isExchange } from './types.js';

const SAME_SITE: Record<string, CookieView['sameSite']> = { lax: 'Lax', strict: 'Strict', none: 'None' };
/** How long a deleted cookie stays in the panel, struck through, before it leaves (real time: the browser's). */
export const DELETED_SHOWN_MS = 8000;

const keyOf = (c: { domain: string; path: string; name: string }) => `${c.domain}\n${c.path}\n${c.name}`;

/**
 * The browser's cookie jar as the loopback server can know it: rebuilt with tough-cookie from every
 * Set-Cookie the browser received. Web mode shows this, labelled "as observed".
 * The browser decides expiry by real time, so this jar does too (the inspector's clock moves only the servers).
 */
export class ObservedJar {
  private jar = new CookieJar();
  /** Cookies a Set-Cookie deleted a moment ago, by key, with when (real and clock time) and which origin did it. */
  private deleted = new Map<string, { view: CookieView; realAt: number; at: number; by: string }>();
  /** Values held when the last Reset came, by key: the browser still has them until they are replaced or deleted. */
  private fromBeforeReset = new Map<string, string>();

  constructor(
    bus: TraceBus,
    private readonly clock: Clock,
    private readonly realNow: () => number = Date.now,
  ) {
    bus.subscribe((event) => {
      if (!isExchange(event) || event.actor !== 'browser' || event.origin === 'external') return;
      for (const line of event.setCookies) this.set(line, event.url, event.origin);
    });
  }

  private set(line: string, url: string, origin: string): void {
    const before = this.views();
    const cookie = this.jar.setCookieSync(line, url, { ignoreError: true });
    const parsed = cookie ?? Cookie.parse(line);
    if (!parsed) return;
    const host = new URL(url).hostname;
    const key = keyOf({ domain: parsed.domain ?? host, path: parsed.path ?? '/', name: parsed.key });
    const existing = before.find((c) => keyOf(c) === key);
    const expiry = parsed.expiryTime();
    if (expiry !== undefined && expiry !== Infinity && expiry <= this.realNow()) {
      if (existing) this.deleted.set(key, { view: existing, realAt: this.realNow(), at: this.clock.now(), by: origin });
    } else {
      this.deleted.delete(key);
    }
    this.fromBeforeReset.delete(key);
  }

  /**
   * After a Reset or a switch: the servers forget, the browser does not. What it holds stays in view, marked as
   * still there from before, until the pages clear it or a new value replaces it.
   */
  markBeforeReset(): void {
    this.fromBeforeReset = new Map(this.views().map((c) => [keyOf(c), c.value]));
    this.deleted.clear();
  }

  /** The live cookies, expired ones left out (the browser no longer sends them). */
  private views(): CookieView[] {
    const now = this.realNow();
    const out: CookieView[] = [];
    for (const c of this.jar.serializeSync()?.cookies ?? []) {
      const expires = c.expires && c.expires !== 'Infinity' ? Date.parse(String(c.expires)) : undefined;
      if (expires !== undefined && !Number.isNaN(expires) && expires <= now) continue;
      out.push({
        name: String(c.key ?? ''),
        value: String(c.value ?? ''),
        domain: String(c.domain ?? ''),
        hostOnly: Boolean(c.hostOnly),
        path: String(c.path ?? '/'),
        secure: Boolean(c.secure),
        httpOnly: Boolean(c.httpOnly),
        sameSite: SAME_SITE[String(c.sameSite ?? '').toLowerCase()] ?? 'Unspecified',
        ...(expires !== undefined && !Number.isNaN(expires) && { expires }),
        session: expires === undefined || Number.isNaN(expires),
      });
    }
    return out;
  }

  /** Cookies grouped by the host they belong to (e.g. `store.localhost`), with the just-deleted ones struck through. */
  byHost(): Record<string, CookieView[]> {
    const out = Object.create(null) as Record<string, CookieView[]>;
    const live = this.views();
    for (const view of live) {
      const before = this.fromBeforeReset.get(keyOf(view));
      (out[view.domain] ??= []).push(before === view.value ? { ...view, beforeReset: true } : view);
    }
    const shownSince = this.realNow() - DELETED_SHOWN_MS;
    for (const [key, gone] of this.deleted) {
      if (gone.realAt < shownSince || live.some((c) => keyOf(c) === key)) {
        this.deleted.delete(key);
        continue;
      }
      (out[gone.view.domain] ??= []).push({ ...gone.view, value: '', deleted: { at: gone.at, by: gone.by, until: gone.realAt + DELETED_SHOWN_MS } });
    }
    return out;
  }
}
