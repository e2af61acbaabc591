import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { resetElectronMock } = await import('./mocks/electron.js');
const { BRIDGE_NAMES, CHANNELS, ROLE_ARG } = await import('../../main/ipc-contract.js');
type ToolbarBridge = import('../../main/ipc-contract.js').ToolbarBridge;
type InspectorBridge = import('../../main/ipc-contract.js').InspectorBridge;

const argv = process.argv;

let ipcRenderer: Awaited<typeof import('./mocks/electron.js')>['ipcRenderer'];

/** Runs the preload afresh as a page with this role would (main passes the role in additionalArguments). */
async function preloadAs(role?: string) {
  process.argv = role ? [...argv, `${ROLE_ARG}${role}`] : [...argv];
  vi.resetModules();
  // The electron mock the preload will import (mocks outlive resetModules), not a fresh copy of the mock file.
  const electron = (await import('electron')) as unknown as Awaited<typeof import('./mocks/electron.js')>;
  electron.contextBridge.exposeInMainWorld.mockClear();
  electron.ipcRenderer.removeAllListeners();
  ipcRenderer = electron.ipcRenderer;
  await import('../../main/preload.js');
  return electron.contextBridge.exposeInMainWorld.mock.calls as unknown as Array<[string, Record<string, unknown>]>;
}

beforeEach(resetElectronMock);
afterEach(() => {
  process.argv = argv;
});

describe('preload', () => {
  it('gives the toolbar named functions over its own channels, and nothing else', async () => {
    const exposed = await preloadAs('toolbar');
    expect(exposed.map(([name]) => name)).toEqual([BRIDGE_NAMES.toolbar]);
    const bridge = exposed[0]![1] as unknown as ToolbarBridge;
    expect(Object.keys(bridge).sort()).toEqual(['back', 'onChange', 'reload', 'selectTab', 'state']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');

    await bridge.selectTab('forum');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(CHANNELS.selectTab, 'forum');
    const heard = vi.fn();
    const unsubscribe = bridge.onChange(heard);
    ipcRenderer.emit(CHANNELS.toolbarChanged, { sender: 'main' }, { active: 'forum' });
    expect(heard).toHaveBeenCalledWith({ active: 'forum' });
    unsubscribe();
    expect(ipcRenderer.listenerCount(CHANNELS.toolbarChanged)).toBe(0);
  });

  it('gives the sidebar only presenter mode, without the IPC event object', async () => {
    const exposed = await preloadAs('inspector');
    expect(exposed.map(([name]) => name)).toEqual([BRIDGE_NAMES.inspector]);
    const bridge = exposed[0]![1] as unknown as InspectorBridge;
    expect(bridge.desktop).toBe(true);
    const heard = vi.fn();
    bridge.onPresenterMode(heard);
    ipcRenderer.emit(CHANNELS.presenterMode, { sender: 'main' }, true);
    expect(heard).toHaveBeenCalledWith(true);
    expect(heard.mock.calls[0]).toHaveLength(1);
  });

  it('exposes nothing to a page without a role', async () => {
    expect(await preloadAs()).toEqual([]);
  });
});
