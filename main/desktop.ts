import { app, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoginscopeConfig } from '../backend/config.js';
import type { Loginscope } from '../backend/start.js';
import { mirrorStolenCookies } from './attacker-jar.js';
import { createCookieFeed } from './cookie-feed.js';
import { createDemoControls } from './demo-controls.js';
import { inspectorClient } from './inspector-client.js';
import { registerIpc } from './ipc.js';
import { installMenu } from './menu.js';
import { hardenContents, limitPermissions, navigationAllowlist } from './security.js';
import { ATTACKER_PARTITION, BROWSER_PARTITION, createTabs, INSPECTOR_PARTITION } from './tabs.js';
import { observeExternalIdentity } from './web-request.js';
import { createMainWindow, type MainWindow } from './window.js';

const preloadPath = () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload.cjs');

/** Everything only Electron adds, wired once the backend answers on every origin. */
export function openDesktop(config: LoginscopeConfig, backend: Loginscope): MainWindow {
  const { urls } = backend;
  const externalIdentity = config.identity.kind === 'fusionauth' ? config.identity.url : undefined;
  const pages = navigationAllowlist(Object.values(urls), externalIdentity);
  // The toolbar and the sidebar are inspector pages; they never need to leave that origin.
  const inspectorPages = navigationAllowlist([urls.inspector]);
  const inspectorSession = session.fromPartition(INSPECTOR_PARTITION);
  // Registered before any view exists, so no web contents escapes the guards.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, contents.session === inspectorSession ? inspectorPages : pages));

  const partitions = { [BROWSER_PARTITION]: session.fromPartition(BROWSER_PARTITION), [ATTACKER_PARTITION]: session.fromPartition(ATTACKER_PARTITION) };
  for (const ses of Object.values(partitions)) limitPermissions(ses);
  limitPermissions(inspectorSession, new URL(urls.inspector).origin);

  const tabs = createTabs({ store: `${urls.store}/`, forum: `${urls.forum}/`, attacker: `${urls.attacker}/` });
  const desktop = createMainWindow({ tabs, toolbarUrl: `${urls.inspector}/chrome`, inspectorUrl: backend.inspectorUrl, preload: preloadPath() });
  registerIpc({ inspectorOrigin: urls.inspector, toolbar: desktop.toolbar.webContents, sidebar: desktop.inspector.webContents, tabs });

  const inspectorApi = inspectorClient(urls.inspector, backend.inspectorToken);
  // The cookie panel (and the attacks, which steal from it) show the victim's browser; the attacker's jar is its own tab.
  createCookieFeed({ session: partitions[BROWSER_PARTITION], partition: BROWSER_PARTITION, post: (jar) => inspectorApi.post('/api/cookies/observed', jar) });
  if (externalIdentity) {
    const identityOrigin = new URL(externalIdentity).origin;
    for (const [partition, ses] of Object.entries(partitions)) {
      observeExternalIdentity({ session: ses, partition, identityOrigin, report: (exchange) => void inspectorApi.post('/api/trace/observed', exchange) });
    }
  }
  mirrorStolenCookies({ bus: backend.bus, urls, session: partitions[ATTACKER_PARTITION], tabs });
  installMenu(
    createDemoControls({ inspectorApi, resets: backend.demo, sessions: Object.values(partitions), tabs, inspector: desktop.inspector.webContents }),
    config.workflow,
  );
  return desktop;
}
