import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { BaseWindow, WebContentsView, resetElectronMock } = await import('./mocks/electron.js');
const { computeLayout, createMainWindow, SIDEBAR_MAX, SIDEBAR_MIN, TOOLBAR_HEIGHT } = await import('../../main/window.js');
const { createTabs, INSPECTOR_PARTITION } = await import('../../main/tabs.js');
const { ROLE_ARG } = await import('../../main/ipc-contract.js');

const homes = { store: 'http://store.localhost:9311/', forum: 'http://forum.localhost:9311/', attacker: 'http://attacker.localhost:9311/' };

describe('computeLayout', () => {
  it.each([
    [1440, 900],
    [960, 600],
    [1920, 1080],
    [3840, 2160],
  ])('tiles %ix%i with no gap or overlap: toolbar above page on the left, inspector on the right', (width, height) => {
    const { toolbar, page, inspector } = computeLayout(width, height);
    expect(toolbar).toEqual({ x: 0, y: 0, width: page.width, height: TOOLBAR_HEIGHT });
    expect(page).toEqual({ x: 0, y: TOOLBAR_HEIGHT, width: inspector.x, height: height - TOOLBAR_HEIGHT });
    expect(inspector.x + inspector.width).toBe(width);
    expect(inspector.height).toBe(height);
    expect(inspector.width).toBeGreaterThanOrEqual(SIDEBAR_MIN);
    expect(inspector.width).toBeLessThanOrEqual(SIDEBAR_MAX);
  });

  it('gives the sidebar its share of a mid-size window', () => {
    expect(computeLayout(1440, 900).inspector).toEqual({ x: 893, y: 0, width: 547, height: 900 });
  });

  it('clamps the sidebar on very wide and narrow windows', () => {
    expect(computeLayout(3840, 2160).inspector.width).toBe(SIDEBAR_MAX);
    expect(computeLayout(800, 600).inspector.width).toBe(SIDEBAR_MIN);
  });

  it('never produces a negative size, even below the minimum window size', () => {
    const layout = computeLayout(200, 40);
    for (const rect of Object.values(layout)) {
      expect(rect.width).toBeGreaterThanOrEqual(0);
      expect(rect.height).toBeGreaterThanOrEqual(0);
    }
    expect(layout.inspector.width).toBe(200);
  });
});

describe('createMainWindow', () => {
  beforeEach(resetElectronMock);

  const open = () => {
    const tabs = createTabs(homes);
    const desktop = createMainWindow({
      tabs,
      toolbarUrl: 'http://inspector.localhost:9311/chrome',
      inspectorUrl: 'http://inspector.localhost:9311/?token=T',
      preload: '/app/out/main/preload.cjs',
    });
    return { tabs, desktop, window: BaseWindow.windows[0]! };
  };

  it('opens one titled window holding three tab views, the toolbar and the inspector', () => {
    const { tabs, desktop, window } = open();
    expect(BaseWindow.windows).toHaveLength(1);
    expect(window.getTitle()).toBe('Loginscope');
    expect(window.contentView.children).toEqual([...tabs.views.values(), desktop.toolbar, desktop.inspector]);
  });

  it('loads the toolbar page and the inspector with its token', () => {
    const { desktop } = open();
    expect(desktop.toolbar.webContents.getURL()).toBe('http://inspector.localhost:9311/chrome');
    expect(desktop.inspector.webContents.getURL()).toBe('http://inspector.localhost:9311/?token=T');
  });

  it('lays out the views for the window size and again on every resize', () => {
    const { tabs, desktop, window } = open();
    const check = (width: number, height: number) => {
      const layout = computeLayout(width, height);
      expect(desktop.toolbar.getBounds()).toEqual(layout.toolbar);
      expect(desktop.inspector.getBounds()).toEqual(layout.inspector);
      for (const view of tabs.views.values()) expect(view.getBounds()).toEqual(layout.page);
    };
    check(1440, 900);
    window.resizeTo(1100, 700);
    check(1100, 700);
  });

  it('isolates the zoom of every view, so presenter zoom of the sidebar or a tab never reaches the toolbar or another host', () => {
    const { tabs, desktop } = open();
    const views = [...tabs.views.values(), desktop.toolbar, desktop.inspector] as unknown as InstanceType<typeof WebContentsView>[];
    expect(views).toHaveLength(5);
    for (const view of views) {
      expect(view.webContents.zoomMode).toBe('isolated');
      // Set before the first load, so no page is ever zoomed per host.
      expect(view.webContents.setZoomMode.mock.invocationCallOrder[0]).toBeLessThan(view.webContents.loadURL.mock.invocationCallOrder[0]!);
    }
  });

  it('closes every view’s web contents when the window closes (they outlive a BaseWindow otherwise)', () => {
    const { tabs, desktop, window } = open();
    const views = [...tabs.views.values(), desktop.toolbar, desktop.inspector] as unknown as InstanceType<typeof WebContentsView>[];
    // One that crashed or was closed already is left alone.
    views[1]!.webContents.destroyed = true;
    window.close();
    for (const [i, view] of views.entries()) {
      expect(view.webContents.close).toHaveBeenCalledTimes(i === 1 ? 0 : 1);
      expect(view.webContents.isDestroyed()).toBe(true);
    }
  });

  it('gives only the toolbar and the inspector the preload, each with its own bridge role, in the inspector partition', () => {
    const { desktop } = open();
    const prefs = (view: unknown) => (view as InstanceType<typeof WebContentsView>).options.webPreferences!;
    expect(prefs(desktop.toolbar)).toMatchObject({ preload: '/app/out/main/preload.cjs', additionalArguments: [`${ROLE_ARG}toolbar`], partition: INSPECTOR_PARTITION });
    expect(prefs(desktop.inspector)).toMatchObject({ additionalArguments: [`${ROLE_ARG}inspector`], partition: INSPECTOR_PARTITION });
    for (const view of WebContentsView.created) {
      expect(view.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    }
    const tabViews = WebContentsView.created.filter((v) => v !== (desktop.toolbar as unknown) && v !== (desktop.inspector as unknown));
    for (const view of tabViews) expect(view.options.webPreferences!.preload).toBeUndefined();
  });
});
