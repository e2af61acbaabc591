/**
 * Everything that crosses a process boundary from main/: the preload bridge (channels, payloads, the functions
 * each page sees) and the payloads main posts to the inspector API. Imported by main, the preload and the pages,
 * so it holds types and constants only.
 */
import type { CookieView } from '../backend/inspector/cookie-view.js';

/** The browser area's tabs. Store and forum share one partition (one browser); the attacker has its own. */
export const TAB_IDS = ['store', 'forum', 'attacker'] as const;
export type TabId = (typeof TAB_IDS)[number];

export interface TabState {
  id: TabId;
  title: string;
  /** The full URL, fragment included: the implicit grant's token is meant to be visible. */
  url: string;
  loading: boolean;
}

export interface ToolbarState {
  active: TabId;
  tabs: TabState[];
  canGoBack: boolean;
}

/** ipcMain/ipcRenderer channel names; nothing else is ever sent or handled. */
export const CHANNELS = {
  toolbarState: 'loginscope:toolbar:state',
  toolbarChanged: 'loginscope:toolbar:changed',
  selectTab: 'loginscope:toolbar:select-tab',
  back: 'loginscope:toolbar:back',
  reload: 'loginscope:toolbar:reload',
  presenterMode: 'loginscope:inspector:presenter-mode',
  openApp: 'loginscope:inspector:open-app',
} as const;

/** The apps the sidebar may open in their tab (never the attacker's, never another origin). */
export const OPENABLE_APPS = ['store', 'forum'] as const;
export type OpenableApp = (typeof OPENABLE_APPS)[number];

/** What the toolbar page (`inspector.localhost/chrome`) may do: read tab state and drive the tabs. */
export interface ToolbarBridge {
  state(): Promise<ToolbarState>;
  /** Called on every tab change or navigation; returns the unsubscribe. */
  onChange(listener: (state: ToolbarState) => void): () => void;
  selectTab(id: TabId): Promise<void>;
  back(): Promise<void>;
  reload(): Promise<void>;
}

/** What the inspector sidebar may do: learn it runs in the desktop app, follow presenter mode, open an app's tab. */
export interface InspectorBridge {
  readonly desktop: true;
  onPresenterMode(listener: (on: boolean) => void): () => void;
  /** Shows the app's tab at this URL (which must be on that app's origin), as "log the user in first" needs. */
  openApp(app: OpenableApp, url: string): Promise<void>;
}

/** The global names the preload exposes (one per role, never both in one page). */
export const BRIDGE_NAMES = { toolbar: 'loginscopeToolbar', inspector: 'loginscopeInspector' } as const;
export type BridgeRole = keyof typeof BRIDGE_NAMES;

/** Main tells the preload its role through `webPreferences.additionalArguments` (sandboxed preloads see process.argv). */
export const ROLE_ARG = '--loginscope-bridge=';

declare global {
  interface Window {
    loginscopeToolbar?: ToolbarBridge;
    loginscopeInspector?: InspectorBridge;
  }
}

/** A cookie from Electron's real jar, in the inspector's vocabulary: the same type the backend shows. */
export type { CookieView };

export type CookieChangeCause =
  | 'inserted'
  | 'inserted-no-change-overwrite'
  | 'inserted-no-value-change-overwrite'
  | 'explicit'
  | 'overwrite'
  | 'expired'
  | 'evicted'
  | 'expired-overwrite';

export interface CookieChange {
  cookie: CookieView;
  cause: CookieChangeCause;
  removed: boolean;
}

/** Body of `POST /api/cookies/observed` on inspector.localhost: a whole jar, and the changes since the last post. */
export interface ObservedCookies {
  source: 'electron';
  partition: string;
  cookies: CookieView[];
  changes: CookieChange[];
}

/** Body of `POST /api/trace/observed`: one response from an external FusionAuth, seen by Chromium's webRequest. */
export interface ObservedExchange {
  source: 'electron';
  partition: string;
  /** Wall-clock ms when the headers arrived. */
  time: number;
  method: string;
  url: string;
  status: number;
  resourceType: string;
  initiator?: string;
  setCookies: string[];
  location?: string;
}
