import type { Session, WebContents } from 'electron';
import type { Demo } from '../backend/demo.js';
import type { InspectorClient } from './inspector-client.js';
import { sendPresenterMode } from './ipc.js';
import type { DemoActions, WorkflowId } from './menu.js';
import type { Tabs } from './tabs.js';

/** Larger text for a projector; the sidebar also hears about it and may adapt its own layout. */
export const PRESENTER_ZOOM = 1.25;

export interface DemoControlsOptions {
  inspectorApi: InspectorClient;
  /** Every Reset and switch, from the menu or from the sidebar's own buttons. */
  resets: Pick<Demo, 'onReset'>;
  /** The browser and attacker partitions: their jars go with the server state on reset. */
  sessions: Session[];
  tabs: Tabs;
  inspector: WebContents;
}

/**
 * What the menu does. Server state resets through the inspector API; on every Reset or switch, whoever asked for it,
 * the desktop's own jars and storage are cleared here and every tab goes home.
 */
export function createDemoControls({ inspectorApi, resets, sessions, tabs, inspector }: DemoControlsOptions): DemoActions {
  const freshBrowsers = async () => {
    try {
      await Promise.all(sessions.map((session) => session.clearStorageData()));
    } catch (err) {
      console.warn(`Loginscope: could not clear the browser partitions: ${(err as Error).message}`);
    }
    tabs.goHome();
  };
  resets.onReset(() => void freshBrowsers());
  return {
    reload: () => tabs.reload(),
    forceReload: () => tabs.forceReload(),
    reset() {
      void inspectorApi.post('/api/reset');
    },
    switchWorkflow(id: WorkflowId) {
      void inspectorApi.post('/api/workflow', { id });
    },
    setPresenterMode(on) {
      for (const view of tabs.views.values()) view.webContents.setZoomFactor(on ? PRESENTER_ZOOM : 1);
      inspector.setZoomFactor(on ? PRESENTER_ZOOM : 1);
      sendPresenterMode(inspector, on);
    },
  };
}
