/**
 * The desktop app as users start it: through the launcher (`npm start`), and packaged with the fuses of
 * electron-builder.yml. Needs an Electron binary and a display, and `npm run build` done; skips with one line otherwise.
 */
import { expect, test } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { electronEnv, electronPath, needsElectron } from './electron-binary.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

test.describe.configure({ mode: 'serial' });
needsElectron();

let work: string;
/** What a failed test may leave running: ended by process group (the launcher's, or the packaged app's). */
let started: ChildProcess | undefined;
test.beforeEach(() => {
  electronPath();
  work = mkdtempSync(path.join(os.tmpdir(), 'loginscope-launcher-'));
});
test.afterEach(() => {
  if (started?.exitCode === null && started.signalCode === null) process.kill(-started.pid!, 'SIGKILL');
  started = undefined;
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Resolves once the process prints the ready line (design.md's outside contract). */
function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('Loginscope ready: ')) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before it was ready`)));
  });
}

test('Ctrl-C in the terminal (and npm’s copy of it) stops the app cleanly: backend closed, exit 0', async () => {
  test.setTimeout(120_000);
  const dataDir = path.join(work, 'data');
  const launcher = spawn(process.execPath, [path.join(root, 'out', 'loginscope.mjs'), '--port', '0', '--no-open', '--data-dir', dataDir], {
    cwd: root,
    // Its own process group, as a terminal gives a foreground job: Ctrl-C goes to the whole group.
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    // An editor's terminal may export this; the launcher must not pass it on.
    env: electronEnv({ ELECTRON_RUN_AS_NODE: '1', LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' }),
  });
  started = launcher;
  const exited = once(launcher, 'exit');
  await ready(launcher);
  expect(existsSync(path.join(dataDir, 'app.db-wal')), 'the backend has its databases open').toBe(true);

  process.kill(-launcher.pid!, 'SIGINT');
  process.kill(launcher.pid!, 'SIGINT');
  const [code] = await exited;
  expect(code).toBe(0);
  // SQLite removes the write-ahead log when the last connection closes: the backend's close() ran.
  expect(existsSync(path.join(dataDir, 'app.db-wal'))).toBe(false);
  expect(existsSync(path.join(dataDir, 'chromium')), 'Chromium’s profile is in the data dir').toBe(true);
});

test('packaged with the fuses of electron-builder.yml, the app still starts and stops cleanly', async () => {
  test.skip(process.platform !== 'linux', 'the packaged-start check knows the Linux unpacked layout only');
  test.setTimeout(300_000);
  // The real Electron of this machine as electron-builder's distribution: nothing is downloaded.
  await run(
    path.join(root, 'node_modules', '.bin', 'electron-builder'),
    ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${path.dirname(electronPath())}`, `-c.directories.output=${path.join(work, 'release')}`],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const app = spawn(path.join(work, 'release', 'linux-unpacked', 'loginscope'), ['--port', '0', '--data-dir', path.join(work, 'data'), '--disable-gpu', '--disable-dev-shm-usage'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: electronEnv({ LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' }),
  });
  started = app;
  const exited = once(app, 'exit');
  await ready(app);
  app.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
});
