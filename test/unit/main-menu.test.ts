import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeSession, FakeWebContents, Menu, resetElectronMock } = await import('./mocks/electron.js');
const { installMenu, menuTemplate, WORKFLOW_TITLES } = await import('../../main/menu.js');
const { createDemoControls, PRESENTER_ZOOM } = await import('../../main/demo-controls.js');
const { createTabs } = await import('../../main/tabs.js');
const { CHANNELS } = await import('../../main/ipc-contract.js');

type Item = Electron.MenuItemConstructorOptions;
type ControlOptions = Parameters<typeof createDemoControls>[0];

const actions = () => ({ reload: vi.fn(), forceReload: vi.fn(), reset: vi.fn(), switchWorkflow: vi.fn(), setPresenterMode: vi.fn() });
const demoMenu = (template: Item[]) => (template.find((m) => m.label === 'Demo')!.submenu as Item[]);
const item = (template: Item[], label: string) => demoMenu(template).find((i) => i.label === label)!;
const viewMenu = (template: Item[]) => template.find((m) => m.label === 'View')!.submenu as Item[];
/** Every item of the menu bar, submenus included. */
const allItems = (items: Item[]): Item[] => items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? allItems(i.submenu) : [])]);
const click = (entry: Item, checked = false) => (entry.click as (i: { checked: boolean }) => void)({ checked });

beforeEach(resetElectronMock);

describe('menuTemplate', () => {
  it('offers Reset demo, Switch workflow and Presenter mode, and they do what they say', () => {
    const a = actions();
    const template = menuTemplate(a, 'native-refresh', 'linux');
    click(item(template, 'Reset demo'));
    expect(a.reset).toHaveBeenCalledTimes(1);

    const workflows = item(template, 'Switch workflow').submenu as Item[];
    expect(workflows.map((w) => [w.label, w.type, w.checked])).toEqual([
      [WORKFLOW_TITLES['native-refresh'], 'radio', true],
      [WORKFLOW_TITLES['implicit-session'], 'radio', false],
    ]);
    click(workflows[1]!);
    expect(a.switchWorkflow).toHaveBeenCalledWith('implicit-session');

    const presenter = item(template, 'Presenter mode');
    expect(presenter.type).toBe('checkbox');
    click(presenter, true);
    expect(a.setPresenterMode).toHaveBeenCalledWith(true);
  });

  it('follows platform conventions: an app menu on macOS, Quit under Demo elsewhere', () => {
    expect(menuTemplate(actions(), 'native-refresh', 'darwin')[0]).toEqual({ role: 'appMenu' });
    expect(demoMenu(menuTemplate(actions(), 'native-refresh', 'darwin')).some((i) => i.role === 'quit')).toBe(false);
    expect(demoMenu(menuTemplate(actions(), 'native-refresh', 'win32')).at(-1)).toEqual({ role: 'quit' });
  });

  it.each(['linux', 'win32', 'darwin'] as const)('on %s, View reloads the active tab through the tabs, never through the BrowserWindow-only roles', (platform) => {
    const a = actions();
    const template = menuTemplate(a, 'native-refresh', platform);
    const view = viewMenu(template);
    const reload = view.find((i) => i.label === 'Reload')!;
    const force = view.find((i) => i.label === 'Force Reload')!;
    expect([reload.accelerator, force.accelerator]).toEqual(['CmdOrCtrl+R', 'CmdOrCtrl+Shift+R']);
    click(reload);
    expect(a.reload).toHaveBeenCalledTimes(1);
    click(force);
    expect(a.forceReload).toHaveBeenCalledTimes(1);
    const roles = allItems(template).map((i) => i.role?.toLowerCase());
    for (const role of ['reload', 'forcereload', 'viewmenu']) expect(roles).not.toContain(role);
  });

  it.each(['linux', 'win32', 'darwin'] as const)('on %s, gives Reset demo a shortcut of its own: no two items share one', (platform) => {
    const template = menuTemplate(actions(), 'native-refresh', platform);
    const reset = item(template, 'Reset demo');
    expect(reset.accelerator).toBeDefined();
    expect(reset.accelerator).not.toBe('CmdOrCtrl+Shift+R');
    const accelerators = allItems(template).flatMap((i) => (i.accelerator ? [String(i.accelerator)] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('installs as the application menu', () => {
    installMenu(actions(), 'implicit-session');
    expect(Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });
});

describe('createDemoControls', () => {
  const setup = (ok = true) => {
    // The backend announces every Reset and switch it performs; the fake does when the API is asked for one.
    const listeners = new Set<() => void>();
    const resets = { onReset: (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener)) };
    const announce = () => listeners.forEach((l) => l());
    const inspectorApi = {
      post: vi.fn(async (path: string) => {
        if (ok && (path === '/api/reset' || path === '/api/workflow')) announce();
        return ok;
      }),
    };
    const sessions = [new FakeSession('persist:loginscope-browser'), new FakeSession('persist:loginscope-attacker')];
    const tabs = createTabs({ store: 'http://store.localhost:1/', forum: 'http://forum.localhost:1/', attacker: 'http://attacker.localhost:1/' });
    const inspector = new FakeWebContents();
    const controls = createDemoControls({
      inspectorApi,
      resets: resets as unknown as ControlOptions['resets'],
      sessions: sessions as unknown as ControlOptions['sessions'],
      tabs,
      inspector: inspector as unknown as ControlOptions['inspector'],
    });
    return { controls, inspectorApi, sessions, tabs, inspector, announce };
  };

  it('a Reset from the sidebar (not the menu) also empties both browser jars and sends every tab home', async () => {
    const { inspectorApi, sessions, tabs, announce } = setup();
    const goHome = vi.spyOn(tabs, 'goHome');
    announce();
    await vi.waitFor(() => expect(goHome).toHaveBeenCalled());
    expect(inspectorApi.post).not.toHaveBeenCalled();
    for (const ses of sessions) expect(ses.clearStorageData).toHaveBeenCalled();
  });

  it('resets the server state, empties both browser jars and sends every tab home', async () => {
    const { controls, inspectorApi, sessions, tabs } = setup();
    const goHome = vi.spyOn(tabs, 'goHome');
    controls.reset();
    await vi.waitFor(() => expect(goHome).toHaveBeenCalled());
    expect(inspectorApi.post).toHaveBeenCalledWith('/api/reset');
    for (const ses of sessions) expect(ses.clearStorageData).toHaveBeenCalled();
  });

  it('switches the workflow through the inspector API', async () => {
    const { controls, inspectorApi, tabs } = setup();
    const goHome = vi.spyOn(tabs, 'goHome');
    controls.switchWorkflow('implicit-session');
    await vi.waitFor(() => expect(goHome).toHaveBeenCalled());
    expect(inspectorApi.post).toHaveBeenCalledWith('/api/workflow', { id: 'implicit-session' });
  });

  it('reloads the active tab, or past the cache', () => {
    const { controls, tabs } = setup();
    tabs.select('forum');
    const forum = tabs.views.get('forum')!.webContents as unknown as InstanceType<typeof FakeWebContents>;
    controls.reload();
    expect(forum.reload).toHaveBeenCalledTimes(1);
    controls.forceReload();
    expect(forum.reloadIgnoringCache).toHaveBeenCalledTimes(1);
    const store = tabs.views.get('store')!.webContents as unknown as InstanceType<typeof FakeWebContents>;
    expect(store.reload).not.toHaveBeenCalled();
    expect(store.reloadIgnoringCache).not.toHaveBeenCalled();
  });

  it('zooms the pages and the sidebar for presenter mode and tells the sidebar', () => {
    const { controls, tabs, inspector } = setup();
    controls.setPresenterMode(true);
    for (const view of tabs.views.values()) expect(view.webContents.setZoomFactor).toHaveBeenCalledWith(PRESENTER_ZOOM);
    expect(inspector.setZoomFactor).toHaveBeenCalledWith(PRESENTER_ZOOM);
    expect(inspector.send).toHaveBeenCalledWith(CHANNELS.presenterMode, true);
    controls.setPresenterMode(false);
    expect(inspector.setZoomFactor).toHaveBeenLastCalledWith(1);
  });
});
