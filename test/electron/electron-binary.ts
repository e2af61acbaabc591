import { test } from '@playwright/test';
import { findElectronBinary } from '../../backend/electron-binary.js';

export const binary = findElectronBinary();
/** A CI that can download Electron sets this, so a missing binary fails the run instead of skipping it. */
const required = process.env.LOGINSCOPE_REQUIRE_ELECTRON === '1';

// The list reporter does not print skip reasons; this is the one line that says why (once, in the runner).
if (!binary.path && !required && process.env.TEST_WORKER_INDEX === undefined) console.log(`Electron tests skipped: ${binary.reason}.`);

/** Call at the top of a spec: skips it with the reason where there is no binary, unless one is required. */
export function needsElectron(): void {
  test.skip(!binary.path && !required, `Electron tests skipped: ${binary.reason}`);
}

/** The binary, for every test to start from: a required binary that is missing fails here, before anything else runs. */
export function electronPath(): string {
  if (!binary.path) throw new Error(`LOGINSCOPE_REQUIRE_ELECTRON=1, but ${binary.reason}`);
  return binary.path;
}

/** The environment for an Electron child: never as plain Node (inherited from an editor's terminal, microsoft/playwright#39008). */
export function electronEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  delete env.ELECTRON_RUN_AS_NODE;
  return { ...env, ...extra };
}
