import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { desktopCommand, STOP_SIGNALS, superviseDesktop } from '../../backend/electron-binary.js';

type Child = Parameters<typeof superviseDesktop>[0];
type Launcher = Parameters<typeof superviseDesktop>[1];

/** The launcher's process and the Electron child, as event emitters: the test delivers signals and exits. */
function supervised() {
  const launcher = new EventEmitter();
  const child = Object.assign(new EventEmitter(), { kill: vi.fn(() => true) });
  const exit = vi.fn();
  superviseDesktop(child as unknown as Child, launcher as unknown as Launcher, exit);
  return { launcher, child, exit };
}

describe('desktopCommand', () => {
  const env = { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', LOGINSCOPE_PORT: '0', DISPLAY: ':0' };

  it('starts Electron on the project folder (package.json gives the app its name and userData), with our flags after it', () => {
    const { command, args } = desktopCommand('/opt/electron/electron', '/work/loginscope', ['--port', '0', '--no-open'], env, 'linux');
    expect(command).toBe('/opt/electron/electron');
    expect(args).toEqual(['/work/loginscope', '--port', '0', '--no-open']);
  });

  it('never starts Electron as plain Node, and passes the rest of the environment on unchanged', () => {
    const { options } = desktopCommand('/e', '/r', [], env, 'linux');
    expect(options.env).toEqual({ PATH: '/usr/bin', LOGINSCOPE_PORT: '0', DISPLAY: ':0' });
    expect(env.ELECTRON_RUN_AS_NODE).toBe('1');
    expect(options.stdio).toBe('inherit');
  });

  it('gives the app its own process group where signals go to groups, so a Ctrl-C reaches it only through the launcher', () => {
    expect(desktopCommand('/e', '/r', [], env, 'linux').options.detached).toBe(true);
    expect(desktopCommand('/e', '/r', [], env, 'darwin').options.detached).toBe(true);
    // On Windows a detached child would get a console window of its own.
    expect(desktopCommand('/e', '/r', [], env, 'win32').options.detached).toBe(false);
  });
});

describe('superviseDesktop', () => {
  it('forwards a Ctrl-C once, as SIGTERM, however many copies arrive (the terminal’s and npm’s)', () => {
    const { launcher, child } = supervised();
    launcher.emit('SIGINT');
    launcher.emit('SIGINT');
    launcher.emit('SIGTERM');
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(child.kill).toHaveBeenCalledWith('SIGTERM');
  });

  it.each(STOP_SIGNALS)('stops the app on %s', (signal) => {
    const { launcher, child } = supervised();
    launcher.emit(signal);
    expect(child.kill).toHaveBeenCalledWith('SIGTERM');
  });

  it.each([
    ['the app closed its backend and exited 0', 0, null],
    ['the app ended by the SIGTERM it was sent', null, 'SIGTERM'],
  ] as const)('maps a stop the launcher asked for to exit 0 when %s', (_what, code, signal) => {
    const { launcher, child, exit } = supervised();
    launcher.emit('SIGINT');
    child.emit('exit', code, signal);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it.each([
    ['a failed stop', 'SIGINT', 1, null, 1],
    ['a crash while stopping', 'SIGINT', null, 'SIGSEGV', 1],
    ['a crash', undefined, null, 'SIGSEGV', 1],
    ['a SIGTERM from elsewhere', undefined, null, 'SIGTERM', 1],
    ['bad config in the app', undefined, 2, null, 2],
    ['closing the window', undefined, 0, null, 0],
  ] as const)('passes on %s', (_what, stop, code, signal, expected) => {
    const { launcher, child, exit } = supervised();
    if (stop) launcher.emit(stop);
    child.emit('exit', code, signal);
    expect(exit).toHaveBeenCalledWith(expected);
  });

  it('exits 1 with one line when Electron cannot be spawned', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { child, exit } = supervised();
    child.emit('error', new Error('spawn /opt/electron/electron EACCES'));
    expect(error).toHaveBeenCalledWith('Loginscope could not start Electron: spawn /opt/electron/electron EACCES');
    expect(exit).toHaveBeenCalledWith(1);
  });
});
