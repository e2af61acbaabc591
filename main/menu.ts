import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { LoginscopeConfig } from '../backend/config.js';

export type WorkflowId = LoginscopeConfig['workflow'];

/** Menu labels for the two seed workflows (ids fixed by design.md). */
export const WORKFLOW_TITLES: Record<WorkflowId, string> = {
  'native-refresh': 'Native login, sessions and refresh tokens',
  'implicit-session': 'OAuth implicit grant and sessions',
};

export interface DemoActions {
  /** The active tab's page (View menu). */
  reload(): void;
  forceReload(): void;
  reset(): void;
  switchWorkflow(id: WorkflowId): void;
  setPresenterMode(on: boolean): void;
}

export function menuTemplate(actions: DemoActions, workflow: WorkflowId, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const demo: MenuItemConstructorOptions = {
    label: 'Demo',
    submenu: [
      // Not Ctrl+Shift+R: that is every browser's force reload, which the View menu keeps.
      { label: 'Reset demo', accelerator: 'CmdOrCtrl+Shift+Backspace', click: () => actions.reset() },
      {
        label: 'Switch workflow',
        submenu: (Object.keys(WORKFLOW_TITLES) as WorkflowId[]).map((id) => ({
          id: `workflow:${id}`,
          label: WORKFLOW_TITLES[id],
          type: 'radio' as const,
          checked: id === workflow,
          click: () => actions.switchWorkflow(id),
        })),
      },
      // A checkbox item is already toggled when its click handler runs.
      { label: 'Presenter mode', type: 'checkbox', accelerator: 'CmdOrCtrl+Shift+P', click: (item) => actions.setPresenterMode(item.checked) },
      ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      // The reload roles act on a BrowserWindow only; in this BaseWindow they would swallow the keys and do nothing.
      { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
      { label: 'Force Reload', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.forceReload() },
      // These act on the focused web contents, so they work on views too.
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [...(mac ? [{ role: 'appMenu' as const }] : []), demo, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}

export function installMenu(actions: DemoActions, workflow: WorkflowId): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, workflow)));
}
