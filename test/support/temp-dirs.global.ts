import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * vitest globalSetup: the run gets its own temp folder (TMPDIR, and TEMP/TMP on Windows, which os.tmpdir() and every
 * child process read), so what tests leave behind is counted exactly, whatever else uses the system's temp folder
 * meanwhile. A `loginscope-*` folder left behind (the prefix every test's mkdtemp uses) fails the run, naming it;
 * anything else left (a tool's own temp file) is listed. The run's folder is removed either way.
 */
const VARS = ['TMPDIR', 'TEMP', 'TMP'] as const;

export default function setup(): () => void {
  const previous = VARS.map((name) => [name, process.env[name]] as const);
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'loginscope-vitest-')));
  for (const name of VARS) process.env[name] = root;
  return () => {
    const left = readdirSync(root).sort();
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(root, { recursive: true, force: true });
    const ours = left.filter((name) => name.startsWith('loginscope-'));
    const others = left.filter((name) => !name.startsWith('loginscope-') && name !== 'node-compile-cache');
    if (others.length > 0) console.log(`Temp entries left by tools during the tests (removed): ${others.join(', ')}`);
    if (ours.length > 0) {
      // vitest reports a teardown error but keeps its exit code: set it here, so the run fails.
      process.exitCode = 1;
      console.error(`Tests left ${ours.length} temp folder(s) behind; remove them after each test: ${ours.join(', ')}`);
    }
  };
}
