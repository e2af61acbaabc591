import { BaseWindow, type Rectangle, type WebContentsView } from 'electron';
import { ROLE_ARG, type BridgeRole } from './ipc-contract.js';
import { createView, INSPECTOR_PARTITION, load, type Tabs } from './tabs.js';

/** Tab strip plus the back/reload/address row. */
export const TOOLBAR_HEIGHT = 84;
export const SIDEBAR_MIN = 360;
export const SIDEBAR_MAX = 640;
/** The sidebar's share of the width between its bounds. */
const SIDEBAR_SHARE = 0.38;

export interface WindowLayout {
  toolbar: Rectangle;
  page: Rectangle;
  inspector: Rectangle;
}

/** Browser area on the left (toolbar above the page), inspector on the right; never a negative size. */
export function computeLayout(width: number, height: number): WindowLayout {
  const sidebar = Math.min(width, Math.max(SIDEBAR_MIN, Math.min(SIDEBAR_MAX, Math.round(width * SIDEBAR_SHARE))));
  const browser = width - sidebar;
  const toolbar = Math.min(TOOLBAR_HEIGHT, height);
  return {
    toolbar: { x: 0, y: 0, width: browser, height: toolbar },
    page: { x: 0, y: toolbar, width: browser, height: height - toolbar },
    inspector: { x: browser, y: 0, width: sidebar, height },
  };
}

export interface MainWindow {
  window: BaseWindow;
  toolbar: WebContentsView;
  inspector: WebContentsView;
}

export interface MainWindowOptions {
  tabs: Tabs;
  /** `inspector.localhost/chrome`: the toolbar page. */
  toolbarUrl: string;
  /** The inspector page with this launch's token. */
  inspectorUrl: string;
  /** Absolute path of the bundled preload (out/main/preload.cjs). */
  preload: string;
}

function bridgedView(role: BridgeRole, preload: string): WebContentsView {
  return createView({ partition: INSPECTOR_PARTITION, preload, additionalArguments: [`${ROLE_ARG}${role}`] });
}

/** One window: the tab views and the toolbar on the left, the inspector on the right. */
export function createMainWindow(options: MainWindowOptions): MainWindow {
  const window = new BaseWindow({ width: 1440, height: 900, minWidth: 960, minHeight: 600, title: 'Loginscope', backgroundColor: '#111827' });
  const toolbar = bridgedView('toolbar', options.preload);
  const inspector = bridgedView('inspector', options.preload);
  for (const view of options.tabs.views.values()) window.contentView.addChildView(view);
  window.contentView.addChildView(toolbar);
  window.contentView.addChildView(inspector);

  const relayout = () => {
    const [width = 0, height = 0] = window.getContentSize();
    const layout = computeLayout(width, height);
    toolbar.setBounds(layout.toolbar);
    inspector.setBounds(layout.inspector);
    for (const view of options.tabs.views.values()) view.setBounds(layout.page);
  };
  window.on('resize', relayout);
  relayout();
  // A view's web contents outlives its window (BaseWindow docs, "Resource management"): close them with it.
  window.on('closed', () => {
    for (const view of [...options.tabs.views.values(), toolbar, inspector]) {
      if (!view.webContents.isDestroyed()) view.webContents.close();
    }
  });

  load(toolbar.webContents, options.toolbarUrl, 'toolbar');
  load(inspector.webContents, options.inspectorUrl, 'inspector');
  return { window, toolbar, inspector };
}
