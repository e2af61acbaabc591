import type { BrowserContext, Page, Request } from '@playwright/test';
import type { TraceBus } from '../../../backend/trace/bus.js';
import { isExchange } from '../../../backend/trace/types.js';

/**
 * Pieces of the seeded random walk (random-walk.spec.ts): the PRNG, the action list, the store tab's visible state,
 * what the network is doing, and the two cookie views the walk compares (the inspector's panel and the real jar).
 */

/** mulberry32: a tiny deterministic PRNG; the same seed gives the same walk. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed: RANDOM_WALK_SEED (decimal or 0x hex) when set, else the default. */
export function walkSeed(fallback: number, env: string | undefined = process.env.RANDOM_WALK_SEED): number {
  if (env === undefined || env.trim() === '') return fallback;
  const n = Number(env.trim());
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`RANDOM_WALK_SEED must be an integer 0..2^32-1, not "${env}"`);
  return n;
}

/** What a person does during a demo, in the words. */
export const ACTIONS = ['reload', 'Cart', 'A while later', 'Later still', 'log in', 'log out', 'Reset', 'switch workflow', 'Back', 'attack'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What the store tab shows once it has settled:
 * - `cart`: logged in, the heading "Your cart";
 * - `native-form`: the app's own login form (Email, Password, "Log in");
 * - `fusionauth-button`: the "Log in with FusionAuth" button;
 * - `hosted-form`: the identity server's hosted login page;
 * - `broken: …`: an error the page shows (a failure of the walk);
 * - `busy`: anything in between (loading, leaving for the identity server, navigating).
 */
export type StoreView = 'cart' | 'native-form' | 'fusionauth-button' | 'hosted-form' | 'busy' | `broken: ${string}`;
export const SETTLED_VIEWS: readonly StoreView[] = ['cart', 'native-form', 'fusionauth-button', 'hosted-form'];

const BROKEN_TEXTS = ['This page could not start.', 'Your cart could not be loaded.', 'Logging out did not work.', 'Products could not be loaded.'];

/** What a person sees, read in one look (one round trip): visible buttons, headings and field labels, and the text. */
interface Look {
  buttons: string[];
  headings: string[];
  labels: string[];
  text: string;
}

function look(): Look {
  const shown = (el: Element) => (el as HTMLElement).getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const texts = (selector: string) =>
    Array.from(document.querySelectorAll(selector))
      .filter(shown)
      .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  return { buttons: texts('button'), headings: texts('h1, h2, h3'), labels: texts('label'), text: document.body?.innerText ?? '' };
}

export async function storeView(page: Page, urls: { store: string; login: string }): Promise<StoreView> {
  let url: URL;
  let seen: Look;
  try {
    url = new URL(page.url());
    if (url.protocol === 'about:') return 'busy';
    seen = await page.evaluate(look);
  } catch {
    // The page navigated while being looked at.
    return 'busy';
  }
  const form = seen.labels.includes('Email') && seen.labels.includes('Password') && seen.buttons.includes('Log in');
  if (url.origin === urls.login) {
    if (form) return 'hosted-form';
    const text = seen.text.replace(/\s+/g, ' ').trim();
    return text ? `broken: the identity server's page ${url.pathname} says "${text.slice(0, 200)}"` : 'busy';
  }
  if (url.origin !== urls.store) return `broken: the tab is at ${url.href}`;
  const broken = BROKEN_TEXTS.find((t) => seen.text.includes(t));
  if (broken) {
    const at = seen.text.indexOf(broken);
    return `broken: ${seen.text.slice(at, at + 300).replace(/\s+/g, ' ')}`;
  }
  const cart = seen.headings.includes('Your cart');
  const oauth = seen.buttons.includes('Log in with FusionAuth');
  if (cart && !oauth && !form) return 'cart';
  if (oauth && !cart && !form) return 'fusionauth-button';
  if (form && !cart && !oauth) return 'native-form';
  return 'busy';
}

/** Long-lived event streams: open for the page's life, never "in flight" work. */
const isStream = (url: URL) => url.pathname === '/loginscope/events' || (url.hostname.startsWith('inspector.') && url.pathname === '/api/events');

/**
 * What the browser and the servers are doing: requests still in flight, the app pages' open event streams,
 * and every answer of 500 or more (in the browser, and in the trace: backend calls and the attacker's too).
 */
export class NetworkWatch {
  private readonly inflight = new Set<Request>();
  private readonly streams = new Set<Request>();
  private readonly answered = new Set<Request>();
  readonly serverErrors: string[] = [];
  private readonly navigationListeners = new Set<(r: Request) => void>();

  constructor(context: BrowserContext, bus: TraceBus) {
    context.on('request', (r) => {
      const url = new URL(r.url());
      if (isStream(url)) this.streams.add(r);
      else this.inflight.add(r);
      if (r.isNavigationRequest()) for (const l of this.navigationListeners) l(r);
    });
    context.on('response', (r) => {
      this.answered.add(r.request());
      if (r.status() >= 500) this.serverErrors.push(`browser saw ${r.status()} for ${r.request().method()} ${r.url()}`);
    });
    const done = (r: Request) => {
      this.inflight.delete(r);
      this.streams.delete(r);
      this.answered.delete(r);
    };
    // A stream stays open (never finished) until its page leaves, which fails it, or the server ends it.
    context.on('requestfinished', done);
    context.on('requestfailed', done);
    // The trace keeps what the browser cannot see: the backends' calls to the identity server and the attacker's.
    bus.subscribe((event) => {
      if (isExchange(event) && event.status >= 500) this.serverErrors.push(`trace: ${event.actor} → ${event.origin} ${event.method} ${event.path} answered ${event.status}`);
    });
  }

  /** Requests of this page still waiting for their answer (streams excluded). */
  busy(page: Page): string[] {
    return [...this.inflight].filter((r) => frameOf(r)?.page() === page).map((r) => `${r.method()} ${r.url()}`);
  }

  /** Whether the page's main document has its app event stream open (answered, not failed). */
  streamOpen(page: Page): boolean {
    const origin = new URL(page.url()).origin;
    return [...this.streams].some((r) => frameOf(r) === page.mainFrame() && this.answered.has(r) && new URL(r.url()).origin === origin);
  }

  /** Calls `listener` (synchronously, in the event) for each navigation request from now on; returns the unsubscribe. */
  onNavigation(listener: (r: Request) => void): () => void {
    this.navigationListeners.add(listener);
    return () => this.navigationListeners.delete(listener);
  }
}

function frameOf(r: Request) {
  try {
    return r.frame();
  } catch {
    // Service-worker requests have no frame.
    return undefined;
  }
}

/** One cookie as both sides can say it: the fields the walk compares. */
export interface JarCookie {
  origin: string;
  name: string;
  value: string;
  httpOnly: boolean;
  sameSite: string;
  hostOnly: boolean;
}

export const byCookie = (a: JarCookie, b: JarCookie) =>
  a.origin.localeCompare(b.origin) || a.name.localeCompare(b.name) || a.value.localeCompare(b.value);

/** The browser's real jar for our origins, from `context.cookies()`. */
export async function realJar(context: BrowserContext, hosts: Record<string, string>): Promise<JarCookie[]> {
  const roleOf = new Map(Object.entries(hosts).map(([role, host]) => [host, role]));
  return (await context.cookies())
    .filter((c) => roleOf.has(c.domain.replace(/^\./, '')))
    .map((c) => ({ origin: roleOf.get(c.domain.replace(/^\./, ''))!, name: c.name, value: c.value, httpOnly: c.httpOnly, sameSite: c.sameSite, hostOnly: !c.domain.startsWith('.') }))
    .sort(byCookie);
}

/** The inspector's cookie panel as a person reads it (struck-through, just-deleted rows left out). */
export async function panelJar(inspector: Page, origins: string[]): Promise<Array<JarCookie & { beforeReset: boolean }>> {
  const rows = await inspector
    .getByTestId('cookie-panel')
    .locator('[data-testid="cookie-row"][data-origin][data-name]:not([data-deleted="true"])')
    .evaluateAll((els) =>
      els.map((el) => {
        const badges = Array.from(el.querySelectorAll('.flags .badge')).map((b) => (b.textContent ?? '').trim());
        return {
          origin: el.getAttribute('data-origin') ?? '',
          name: el.getAttribute('data-name') ?? '',
          // The full value is the title of the (possibly truncated) value shown.
          value: el.querySelector('.value')?.getAttribute('title') ?? '',
          httpOnly: el.getAttribute('data-httponly') === 'true',
          sameSite: (badges.find((b) => b.startsWith('SameSite=')) ?? '').slice('SameSite='.length),
          hostOnly: badges.includes('host-only'),
          beforeReset: el.getAttribute('data-before-reset') === 'true',
        };
      }),
    );
  return rows.filter((r) => origins.includes(r.origin)).sort(byCookie);
}
