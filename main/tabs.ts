import { WebContentsView, type WebContents } from 'electron';
import { TAB_IDS, type TabId, type ToolbarState } from './ipc-contract.js';
import { secureWebPreferences, type ViewPreferences } from './security.js';

/** Store and forum live in one partition, like two tabs of one browser: host-only cookies keep them apart. */
export const BROWSER_PARTITION = 'persist:loginscope-browser';
/** The attacker's browser holds only what was stolen. */
export const ATTACKER_PARTITION = 'persist:loginscope-attacker';

/** The sidebar and the toolbar (both inspector.localhost pages): never part of what the demo observes. */
export const INSPECTOR_PARTITION = 'persist:loginscope-inspector';

export function partitionFor(tab: TabId): string {
  return tab === 'attacker' ? ATTACKER_PARTITION : BROWSER_PARTITION;
}

export interface Tabs {
  readonly views: ReadonlyMap<TabId, WebContentsView>;
  active(): TabId;
  select(id: TabId): void;
  state(): ToolbarState;
  back(): void;
  reload(): void;
  /** Reload past the HTTP cache. */
  forceReload(): void;
  /** Loads a URL in a tab (the attacker tab replaying a stolen session, for one). */
  open(id: TabId, url: string): void;
  /** The tab's start page (its origin is the only one the sidebar may open in it). */
  home(id: TabId): string;
  /** Every tab back to its start page (after a reset). */
  goHome(): void;
  onChange(listener: (state: ToolbarState) => void): void;
}

/** Loads without an unhandled rejection: a superseded load (ERR_ABORTED) is normal, anything else shows in the page. */
export function load(contents: WebContents, url: string, what: string): void {
  contents.loadURL(url).catch((err: Error) => {
    if (!err.message.includes('ERR_ABORTED')) console.warn(`Loginscope: the ${what} view did not load: ${err.message}`);
  });
}

/**
 * Every view of the window is made here: locked-down preferences, and its own zoom. Chromium zooms per host by
 * default, so the toolbar would follow the sidebar (same host) and a tab would lose its zoom on another host.
 */
export function createView(preferences: ViewPreferences): WebContentsView {
  const view = new WebContentsView({ webPreferences: secureWebPreferences(preferences) });
  view.webContents.setZoomMode('isolated');
  return view;
}

/** One view per tab, each with its own history; only the active one is visible. */
export function createTabs(homes: Readonly<Record<TabId, string>>): Tabs {
  const views = new Map<TabId, WebContentsView>();
  const listeners: Array<(state: ToolbarState) => void> = [];
  let active: TabId = 'store';

  const state = (): ToolbarState => {
    const current = views.get(active)!.webContents;
    return {
      active,
      canGoBack: current.navigationHistory.canGoBack(),
      tabs: TAB_IDS.map((id) => {
        const contents = views.get(id)!.webContents;
        return { id, title: contents.getTitle(), url: contents.getURL(), loading: contents.isLoading() };
      }),
    };
  };
  const changed = () => {
    const snapshot = state();
    for (const listener of listeners) listener(snapshot);
  };

  for (const id of TAB_IDS) {
    const view = createView({ partition: partitionFor(id) });
    view.setVisible(id === active);
    // Whatever the toolbar shows (URL with fragment, title, spinner, back) can change on these.
    const contents = view.webContents;
    contents.on('did-navigate', changed);
    contents.on('did-navigate-in-page', changed);
    contents.on('page-title-updated', changed);
    contents.on('did-start-loading', changed);
    contents.on('did-stop-loading', changed);
    views.set(id, view);
  }
  // Loads start once every view exists: a navigation event reports the state of all tabs.
  for (const id of TAB_IDS) load(views.get(id)!.webContents, homes[id], `${id} tab`);

  const contentsOf = (id: TabId) => views.get(id)!.webContents;
  return {
    views,
    active: () => active,
    select(id) {
      active = id;
      for (const [tab, view] of views) view.setVisible(tab === id);
      changed();
    },
    state,
    back() {
      const history = contentsOf(active).navigationHistory;
      if (history.canGoBack()) history.goBack();
    },
    reload() {
      contentsOf(active).reload();
    },
    forceReload() {
      contentsOf(active).reloadIgnoringCache();
    },
    open(id, url) {
      load(contentsOf(id), url, `${id} tab`);
    },
    home: (id) => homes[id],
    goHome() {
      for (const id of TAB_IDS) {
        contentsOf(id).navigationHistory.clear();
        load(contentsOf(id), homes[id], `${id} tab`);
      }
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
