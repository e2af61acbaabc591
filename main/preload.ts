/**
 * The sandboxed preload for the toolbar and the sidebar (bundled by esbuild to out/main/preload.cjs).
 * It exposes named functions for its page's role only, never ipcRenderer or a generic send.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_NAMES, CHANNELS, ROLE_ARG, type InspectorBridge, type TabId, type ToolbarBridge, type ToolbarState } from './ipc-contract.js';

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const toolbar: ToolbarBridge = {
  state: () => ipcRenderer.invoke(CHANNELS.toolbarState) as Promise<ToolbarState>,
  onChange: (listener) => subscribe(CHANNELS.toolbarChanged, listener),
  selectTab: (id: TabId) => ipcRenderer.invoke(CHANNELS.selectTab, id) as Promise<void>,
  back: () => ipcRenderer.invoke(CHANNELS.back) as Promise<void>,
  reload: () => ipcRenderer.invoke(CHANNELS.reload) as Promise<void>,
};

const inspector: InspectorBridge = {
  desktop: true,
  onPresenterMode: (listener) => subscribe(CHANNELS.presenterMode, listener),
  openApp: (app, url) => ipcRenderer.invoke(CHANNELS.openApp, { app, url }) as Promise<void>,
};

const role = process.argv.find((arg) => arg.startsWith(ROLE_ARG))?.slice(ROLE_ARG.length);
if (role === 'toolbar') contextBridge.exposeInMainWorld(BRIDGE_NAMES.toolbar, toolbar);
if (role === 'inspector') contextBridge.exposeInMainWorld(BRIDGE_NAMES.inspector, inspector);
