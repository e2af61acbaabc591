import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/** What the packaged app cannot start without. */
const REQUIRED = ['out/main/index.js', 'out/main/preload.cjs', 'out/backend/start.js', 'dist/renderer/store/index.html'];

/** Electron's fuse wire as it ships (@electron/fuses' V1 order): each fuse the opposite of what electron-builder.yml sets. */
const SHIPPED_FUSES = {
  [FuseV1Options.RunAsNode]: '1',
  [FuseV1Options.EnableCookieEncryption]: '0',
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: '1',
  [FuseV1Options.EnableNodeCliInspectArguments]: '1',
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: '0',
  [FuseV1Options.OnlyLoadAppFromAsar]: '0',
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: '0',
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: '1',
};
/** The marker @electron/fuses looks for in the binary, followed by the wire's version, length and one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * A stand-in for an unpacked Electron distribution (GitHub, where the real one comes from, is unreachable here):
 * enough for electron-builder's `dir` target to lay out the app and flip its fuses. No default_app.asar: hashing an
 * empty one fails.
 */
function stubElectronDist(dir: string, version: string): void {
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  mkdirSync(path.join(dir, 'resources'));
  const wire = Object.values(SHIPPED_FUSES).join('');
  const script = '#!/bin/sh\necho "stub Electron: packaging layout test only" >&2\nexit 1\n';
  writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.from(`${script}# ${FUSE_SENTINEL}`), Buffer.from([1, wire.length]), Buffer.from(`${wire}\n`)]));
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'stub\n');
  writeFileSync(path.join(dir, 'version'), version);
}

describe.skipIf(process.platform !== 'linux')('electron-builder --linux dir (stub Electron)', () => {
  let work: string;
  let resources: string;
  let entries: string[];

  beforeAll(async () => {
    if (REQUIRED.some((file) => !existsSync(path.join(root, file)))) {
      await run('npm', ['run', '-s', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'loginscope-packaging-'));
    const { version } = (await import('electron/package.json', { with: { type: 'json' } })).default;
    stubElectronDist(path.join(work, 'electron-dist'), version);
    await run(
      bin('electron-builder'),
      ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${path.join(work, 'electron-dist')}`, `-c.directories.output=${path.join(work, 'release')}`],
      { cwd: root, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, maxBuffer: 64 * 1024 * 1024 },
    );
    resources = path.join(work, 'release', 'linux-unpacked', 'resources');
    const { stdout } = await run(bin('asar'), ['list', path.join(resources, 'app.asar')], { maxBuffer: 64 * 1024 * 1024 });
    entries = stdout.split('\n').filter(Boolean);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs the compiled main process, preload, backend, pages and seed data into app.asar', () => {
    for (const file of [...REQUIRED, 'package.json']) expect(entries).toContain(`/${file}`);
    expect(entries).toContain('/dist/renderer/chrome/index.html');
    expect(entries.some((entry) => entry.startsWith('/assets/seed/'))).toBe(true);
  });

  it('leaves sources, source maps and dev tooling out', () => {
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    for (const prefix of ['/main/', '/backend/', '/renderer/', '/test/', '/node_modules/electron/', '/node_modules/vite/', '/node_modules/better-sqlite3/deps/']) {
      expect(entries.filter((entry) => entry.startsWith(prefix))).toEqual([]);
    }
  });

  it('flips the fuses of electron-builder.yml in the packaged binary', async () => {
    const fuses = await getCurrentFuseWire(path.join(work, 'release', 'linux-unpacked', 'loginscope'));
    const state = (fuse: FuseV1Options) => String.fromCharCode(fuses[fuse] as number);
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      onlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      asarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      cookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      fileProtocolPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({ runAsNode: '0', nodeOptions: '0', inspectArguments: '0', onlyLoadAppFromAsar: '1', asarIntegrity: '1', cookieEncryption: '1', fileProtocolPrivileges: '0' });
    // Not set, so left as Electron ships it.
    expect(state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe('0');
  });

  it('unpacks better-sqlite3’s binary for this platform only, beside app.asar', () => {
    const prebuilds = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds');
    expect(readdirSync(prebuilds)).toEqual([`${process.platform}-${process.arch}.node`]);
    expect(entries).toContain('/node_modules/better-sqlite3/lib/database.js');
  });
});
