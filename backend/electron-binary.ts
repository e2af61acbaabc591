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
