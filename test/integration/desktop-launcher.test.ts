import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'loginscope-launcher-'));
/** Process groups to end if a test failed before they stopped (the launcher's, and the stand-in's own). */
const groups: number[] = [];
afterAll(() => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone: the test stopped it.
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * Stands in for the Electron binary (ELECTRON_OVERRIDE_DIST_PATH): says how it was started, then reports each
 * signal it gets and, like Chromium, stops cleanly on the first.
 */
writeFileSync(
  path.join(work, 'electron'),
  `#!${process.execPath}
const say = (line) => process.stdout.write(JSON.stringify(line) + '\\n');
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { say({ signal }); setImmediate(() => process.exit(0)); });
say({ pid: process.pid, started: { folder: process.argv[2], flags: process.argv.slice(3), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null } });
setInterval(() => {}, 1000);
`,
);
chmodSync(path.join(work, 'electron'), 0o755);

describe.skipIf(process.platform === 'win32')('the launcher with an Electron binary (a stand-in)', () => {
  it('starts it on the project folder, never as Node, and a Ctrl-C (the terminal’s and npm’s copy) stops it once, exit 0', async () => {
    const launcher = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['backend/cli.ts', '--port', '0', '--no-open'], {
      cwd: root,
      // Its own process group, as a terminal gives a foreground job: Ctrl-C goes to the whole group.
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: work, DISPLAY: process.env.DISPLAY ?? ':0', ELECTRON_RUN_AS_NODE: '1' },
    });
    groups.push(launcher.pid!);
    const lines: Array<{ pid?: number }> = [];
    const reader = createInterface({ input: launcher.stdout! });
    const started = new Promise<void>((resolve) =>
      reader.on('line', (line) => {
        lines.push(JSON.parse(line));
        if (lines.length === 1) resolve();
      }),
    );
    // 'close': after the shared stdout has been read to its end.
    const exited = once(launcher, 'close');

    await started;
    const { pid, ...first } = lines[0]!;
    groups.push(pid!);
    expect(first).toEqual({ started: { folder: root, flags: ['--port', '0', '--no-open'], runAsNode: null } });
    process.kill(-launcher.pid!, 'SIGINT');
    process.kill(launcher.pid!, 'SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(lines.slice(1)).toEqual([{ signal: 'SIGTERM' }]);
  });
});
