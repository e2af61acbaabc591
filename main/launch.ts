import { app, dialog } from 'electron';
import path from 'node:path';
import { ConfigError, loadConfig, SINGLE_INSTANCE_OFF_ENV, type LoginscopeConfig } from '../backend/config.js';
import { IdentityConnectionError } from '../backend/fusionauth/connection-check.js';
import { PortInUseError, startLoginscope, type Loginscope } from '../backend/start.js';
import { openDesktop } from './desktop.js';
import { DataFileError } from '../backend/data-dir.js';

/** Flags loadConfig knows. Electron's argv also holds Chromium switches and the entry script, which are not ours. */
const VALUE_FLAGS = ['port', 'data-dir', 'workflow', 'config'];
const BOOLEAN_FLAGS = ['web', 'open', 'dev'];

export function configArgs(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = /^--([a-z-]+)(=.*)?$/.exec(arg);
    if (!flag) continue;
    const [, name = '', inline] = flag;
    if (VALUE_FLAGS.includes(name)) {
      const value = inline === undefined ? argv[++i] : undefined;
      kept.push(...(value === undefined ? [arg] : [arg, value]));
    } else if (inline === undefined && BOOLEAN_FLAGS.includes(name.replace(/^no-/, ''))) {
      kept.push(arg);
    }
  }
  return kept;
}

/** One Loginscope per profile; tests running several instances turn the lock off. */
export function claimSingleInstance(env: NodeJS.ProcessEnv): boolean {
  const off = env[SINGLE_INSTANCE_OFF_ENV];
  if (off === '1' || off === 'true') return true;
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

/** The port is taken: say so, and offer a free port instead. Resolves undefined when the user chooses to quit. */
export async function startBackend(config: LoginscopeConfig): Promise<Loginscope | undefined> {
  try {
    return await startLoginscope(config);
  } catch (err) {
    // A FusionAuth that cannot be used, a damaged data file or a data dir another Loginscope holds: one line, exit 2.
    if (err instanceof IdentityConnectionError || err instanceof DataFileError) {
      failStart(err.message);
      return undefined;
    }
    if (!(err instanceof PortInUseError)) throw err;
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'Loginscope',
      message: `Port ${err.port} is already in use.`,
      detail: `${err.message}\n\nLoginscope can start on another free port instead; its pages then have other addresses.`,
      buttons: ['Use another port', 'Quit'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    return response === 0 ? startLoginscope({ ...config, port: 0 }) : undefined;
  }
}

/** Holds the quit until the backend has closed (databases flushed, port released), exactly once. */
export function closeOnQuit(backend: Pick<Loginscope, 'close'>): void {
  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= backend
      .close()
      .catch((err: Error) => console.error(`Loginscope: error while stopping: ${err.message}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

/** One line on stderr and in a dialog, then exit code 2 (design.md: bad config or port in use). */
export function failStart(message: string, code = 2): void {
  console.error(message);
  // Before ready on Linux there is no dialog: Electron prints the box to stderr instead, which would say it twice.
  if (process.platform !== 'linux' || app.isReady()) dialog.showErrorBox('Loginscope cannot start', message);
  app.exit(code);
}

/** The desktop app: config, then the backend on every origin, then the window. */
export async function launch(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let config: LoginscopeConfig;
  try {
    // The same data dir as web mode (by default the OS's app-data folder for loginscope): both modes share databases and config.
    config = loadConfig(configArgs(argv), env);
  } catch (err) {
    if (err instanceof ConfigError) return failStart(err.message);
    throw err;
  }
  // Chromium's profile (cookie jars, caches, the single-instance lock) in its own folder of the data dir: Electron's
  // default userData is the app-data folder for loginscope, the data dir itself, where it would mix with the databases.
  app.setPath('userData', path.join(config.dataDir, 'chromium'));
  if (!claimSingleInstance(env)) return;

  await app.whenReady();
  const backend = await startBackend(config);
  if (!backend) return void app.exit(2);
  closeOnQuit(backend);
  console.log(`Loginscope ready: ${backend.inspectorUrl}`);

  const { window } = openDesktop(config, backend);
  app.on('second-instance', () => {
    // While quitting, the window may already be gone.
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}
