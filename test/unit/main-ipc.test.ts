import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeWebContents, FakeWebFrameMain, ipcMain, resetElectronMock } = await import('./mocks/electron.js');
const { isTrustedSender, registerIpc, sendPresenterMode } = await import('../../main/ipc.js');
const { createTabs } = await import('../../main/tabs.js');
const { CHANNELS } = await import('../../main/ipc-contract.js');

type Options = Parameters<typeof registerIpc>[0];
type Frame = Parameters<typeof isTrustedSender>[0];

const inspectorOrigin = 'http://inspector.localhost:9311';
const homes = { store: 'http://store.localhost:9311/', forum: 'http://forum.localhost:9311/', attacker: 'http://attacker.localhost:9311/' };

describe('isTrustedSender', () => {
  it('trusts only a top frame on the inspector origin', () => {
    const top = new FakeWebFrameMain(`${inspectorOrigin}/chrome`);
    expect(isTrustedSender(top as unknown as Frame, inspectorOrigin)).toBe(true);
    expect(isTrustedSender(new FakeWebFrameMain('http://store.localhost:9311/') as unknown as Frame, inspectorOrigin)).toBe(false);
    expect(isTrustedSender(new FakeWebFrameMain('http://inspector.localhost:9312/chrome') as unknown as Frame, inspectorOrigin)).toBe(false);
    expect(isTrustedSender(new FakeWebFrameMain(`${inspectorOrigin}/chrome`, top) as unknown as Frame, inspectorOrigin)).toBe(false);
    expect(isTrustedSender(new FakeWebFrameMain('about:blank') as unknown as Frame, inspectorOrigin)).toBe(false);
    expect(isTrustedSender(null, inspectorOrigin)).toBe(false);
  });
});

describe('registerIpc', () => {
  beforeEach(resetElectronMock);

  const setup = () => {
    const toolbar = new FakeWebContents();
    const sidebar = new FakeWebContents();
    const tabs = createTabs(homes);
    const dispose = registerIpc({ inspectorOrigin, toolbar: toolbar as unknown as Options['toolbar'], sidebar: sidebar as unknown as Options['sidebar'], tabs });
    const fromToolbar = { sender: toolbar, senderFrame: new FakeWebFrameMain(`${inspectorOrigin}/chrome`) };
    const fromSidebar = { sender: sidebar, senderFrame: new FakeWebFrameMain(`${inspectorOrigin}/?token=T`) };
    return { toolbar, sidebar, tabs, dispose, fromToolbar, fromSidebar };
  };

  it('lets the sidebar open an app in its own tab ("log the user in first"), on that app’s origin only', async () => {
    const { tabs, fromSidebar, fromToolbar } = setup();
    const open = vi.spyOn(tabs, 'open');
    await ipcMain.invoke(CHANNELS.openApp, fromSidebar, { app: 'forum', url: 'http://forum.localhost:9311/?loginscope=log-in' });
    expect(open).toHaveBeenCalledWith('forum', 'http://forum.localhost:9311/?loginscope=log-in');
    expect(tabs.active()).toBe('forum');
    for (const bad of [
      { app: 'attacker', url: 'http://attacker.localhost:9311/' },
      { app: 'store', url: 'http://forum.localhost:9311/' },
      { app: 'store', url: 'https://evil.example/' },
      { app: 'store', url: 'not a url' },
      { app: '__proto__', url: 'http://store.localhost:9311/' },
      null,
    ]) {
      await expect(ipcMain.invoke(CHANNELS.openApp, fromSidebar, bad), JSON.stringify(bad)).rejects.toThrow(/openApp/);
    }
    // The toolbar has no business opening apps this way.
    await expect(ipcMain.invoke(CHANNELS.openApp, fromToolbar, { app: 'store', url: 'http://store.localhost:9311/' })).rejects.toThrow(/untrusted sender/);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('answers the toolbar with the tab state', async () => {
    const { fromToolbar } = setup();
    const state = await ipcMain.invoke(CHANNELS.toolbarState, fromToolbar);
    expect(state).toMatchObject({ active: 'store', tabs: [{ id: 'store', url: homes.store }, { id: 'forum' }, { id: 'attacker' }] });
  });

  it('refuses a call from a page on a foreign origin, before the handler runs', async () => {
    const { toolbar, tabs } = setup();
    const select = vi.spyOn(tabs, 'select');
    const foreign = { sender: toolbar, senderFrame: new FakeWebFrameMain('https://evil.example/') };
    await expect(ipcMain.invoke(CHANNELS.selectTab, foreign, 'attacker')).rejects.toThrow(/untrusted sender/);
    expect(select).not.toHaveBeenCalled();
  });

  it('refuses a call from another view, even one on the inspector origin (the sidebar)', async () => {
    setup();
    const sidebar = { sender: new FakeWebContents(), senderFrame: new FakeWebFrameMain(`${inspectorOrigin}/`) };
    await expect(ipcMain.invoke(CHANNELS.reload, sidebar)).rejects.toThrow(/untrusted sender/);
  });

  it('refuses a subframe and a sender whose frame is gone', async () => {
    const { toolbar } = setup();
    const parent = new FakeWebFrameMain(`${inspectorOrigin}/chrome`);
    await expect(ipcMain.invoke(CHANNELS.back, { sender: toolbar, senderFrame: new FakeWebFrameMain(`${inspectorOrigin}/x`, parent) })).rejects.toThrow();
    await expect(ipcMain.invoke(CHANNELS.back, { sender: toolbar, senderFrame: null })).rejects.toThrow();
  });

  it('switches tabs for the toolbar and rejects an unknown tab id', async () => {
    const { tabs, fromToolbar } = setup();
    await ipcMain.invoke(CHANNELS.selectTab, fromToolbar, 'forum');
    expect(tabs.active()).toBe('forum');
    await expect(ipcMain.invoke(CHANNELS.selectTab, fromToolbar, '__proto__')).rejects.toThrow(/No tab/);
  });

  it('pushes every tab change to the toolbar', () => {
    const { toolbar, tabs } = setup();
    tabs.select('attacker');
    expect(toolbar.send).toHaveBeenLastCalledWith(CHANNELS.toolbarChanged, expect.objectContaining({ active: 'attacker' }));
  });

  it('removes its handlers when disposed', async () => {
    const { dispose, fromToolbar } = setup();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    await expect(ipcMain.invoke(CHANNELS.toolbarState, fromToolbar)).rejects.toThrow(/No handler/);
  });

  it('sends presenter mode to the sidebar, and nothing to a destroyed one', () => {
    const inspector = new FakeWebContents();
    sendPresenterMode(inspector as unknown as Options['toolbar'], true);
    expect(inspector.send).toHaveBeenCalledWith(CHANNELS.presenterMode, true);
    inspector.destroyed = true;
    sendPresenterMode(inspector as unknown as Options['toolbar'], false);
    expect(inspector.send).toHaveBeenCalledTimes(1);
  });
});
