import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import { CHANNELS, OPENABLE_APPS, TAB_IDS, type OpenableApp, type TabId, type ToolbarState } from './ipc-contract.js';
import type { Tabs } from './tabs.js';

/** The sender is the top frame of a page on `origin` (never a subframe, never a page that navigated away). */
export function isTrustedSender(frame: WebFrameMain | null | undefined, origin: string): boolean {
  if (!frame || frame.parent) return false;
  try {
    return new URL(frame.url).origin === origin;
  } catch {
    return false;
  }
}

function isTabId(value: unknown): value is TabId {
  return TAB_IDS.includes(value as TabId);
}

export interface IpcOptions {
  /** `http://inspector.localhost:P`: where the toolbar and the sidebar are served. */
  inspectorOrigin: string;
  toolbar: WebContents;
  /** The inspector sidebar: it may only open an app's tab on that app's own origin. */
  sidebar: WebContents;
  tabs: Tabs;
}

/** `{ app, url }` from the sidebar, checked: a known app, and a URL on the origin of that app's tab. */
function appToOpen(arg: unknown, tabs: Tabs): { app: OpenableApp; url: string } {
  const { app, url } = (arg ?? {}) as { app?: unknown; url?: unknown };
  if (!OPENABLE_APPS.includes(app as OpenableApp) || typeof url !== 'string') throw new Error('openApp takes { app: store|forum, url }.');
  const home = tabs.home(app as OpenableApp);
  let origin: string | undefined;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== new URL(home).origin) throw new Error(`openApp: ${String(url)} is not on the ${String(app)}'s origin.`);
  return { app: app as OpenableApp, url };
}

/**
 * The toolbar's handlers. Each call must come from the toolbar view itself and from a frame on the inspector
 * origin; anything else is refused before the handler runs. Returns the function that removes them.
 */
export function registerIpc({ inspectorOrigin, toolbar, sidebar, tabs }: IpcOptions): () => void {
  const from =
    (view: WebContents) =>
    <R>(handler: (arg: unknown) => R) =>
    (event: IpcMainInvokeEvent, arg?: unknown): R => {
      if (event.sender !== view || !isTrustedSender(event.senderFrame, inspectorOrigin)) {
        throw new Error('Loginscope refused an IPC call from an untrusted sender.');
      }
      return handler(arg);
    };
  const fromToolbar = from(toolbar);

  ipcMain.handle(CHANNELS.toolbarState, fromToolbar((): ToolbarState => tabs.state()));
  ipcMain.handle(
    CHANNELS.selectTab,
    fromToolbar((id) => {
      if (!isTabId(id)) throw new Error(`No tab "${String(id)}".`);
      tabs.select(id);
    }),
  );
  ipcMain.handle(CHANNELS.back, fromToolbar(() => tabs.back()));
  ipcMain.handle(CHANNELS.reload, fromToolbar(() => tabs.reload()));
  ipcMain.handle(
    CHANNELS.openApp,
    from(sidebar)((arg) => {
      const { app, url } = appToOpen(arg, tabs);
      tabs.open(app, url);
      tabs.select(app);
    }),
  );
  tabs.onChange((state) => {
    if (!toolbar.isDestroyed()) toolbar.send(CHANNELS.toolbarChanged, state);
  });

  return () => {
    for (const channel of [CHANNELS.toolbarState, CHANNELS.selectTab, CHANNELS.back, CHANNELS.reload, CHANNELS.openApp]) ipcMain.removeHandler(channel);
  };
}

/** Main → sidebar only; the sidebar sends nothing back. */
export function sendPresenterMode(inspector: WebContents, on: boolean): void {
  if (!inspector.isDestroyed()) inspector.send(CHANNELS.presenterMode, on);
}
