import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, found the same way from backend/ (tests), out/backend/ (built) and app.asar. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const rendererDist = (): string => path.join(projectRoot(), 'dist', 'renderer');
export const seedDir = (): string => path.join(projectRoot(), 'assets', 'seed');
