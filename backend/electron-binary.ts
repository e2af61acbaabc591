import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { path: string; reason?: undefined } | { path?: undefined; reason: string };

/**
 * Finds the Electron executable without `require('electron')`, which would try to download it (electron >= 42).
 * `ELECTRON_OVERRIDE_DIST_PATH` points at a binary fetched elsewhere.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathTxt = path.join(dir, 'path.txt');
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? path.join(override, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron')) : relative && path.join(dir, 'dist', relative);
  if (!exe || !existsSync(exe)) {
    return { reason: 'the Electron binary is not downloaded here (offline install); set ELECTRON_OVERRIDE_DIST_PATH or run `npx install-electron` where GitHub is reachable' };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'no display for Electron: run under xvfb-run' };
  return { path: exe };
}

export interface DesktopCommand {
  command: string;
  args: string[];
  options: SpawnOptions;
}

/**
 * How the launcher starts the desktop app. Electron gets the project folder, not out/main/index.js, so it reads
 * package.json and the app is Loginscope (name, version, userData) as when packaged. ELECTRON_RUN_AS_NODE (an
 * editor's terminal may export it) would start Electron as plain Node. Outside Windows the app gets its own process
 * group, so a terminal's Ctrl-C reaches it only through the launcher: Chromium stops gracefully on one signal, and a
 * second one kills it before the backend has closed.
 */
export function desktopCommand(electron: string, root: string, argv: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): DesktopCommand {
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...childEnv } = env;
  return { command: electron, args: [root, ...argv], options: { stdio: 'inherit', env: childEnv, detached: platform !== 'win32' } };
}

/** What stops the launcher; the app hears of it once, as SIGTERM. SIGHUP too: the app is no longer in the terminal's group. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ties the launcher to the running app: the first stop signal (npm and the terminal each deliver a Ctrl-C) is
 * forwarded once, and the app's exit becomes the launcher's. A stop we asked for is a clean stop (0) when the app
 * exits 0 or by that SIGTERM; a crash is not.
 */
export function superviseDesktop(
  child: Pick<ChildProcess, 'kill' | 'once'>,
  launcher: Pick<NodeJS.Process, 'on'>,
  exit: (code: number) => void,
): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
  };
  for (const signal of STOP_SIGNALS) launcher.on(signal, stop);
  child.once('error', (err: Error) => {
    console.error(`Loginscope could not start Electron: ${err.message}`);
    exit(1);
  });
  child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => exit(code ?? (stopping && signal === 'SIGTERM' ? 0 : 1)));
}
