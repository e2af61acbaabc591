import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));
// The whole backend is replaced: these tests are about the order and the outcomes main gives it.
const backendStart = vi.hoisted(() => ({
  startLoginscope: vi.fn(),
  PortInUseError: class PortInUseError extends Error {
    constructor(readonly port: number) {
      super(`Port ${port} on 127.0.0.1 is already in use.`);
    }
  },
}));
vi.mock('../../backend/start.js', () => backendStart);
const { PortInUseError } = backendStart;
const desktop = vi.hoisted(() => ({ openDesktop: vi.fn() }));
vi.mock('../../main/desktop.js', () => desktop);

const { app, BaseWindow, dialog, fakeEvent, resetElectronMock } = await import('./mocks/electron.js');
const { claimSingleInstance, closeOnQuit, configArgs, failStart, launch, startBackend } = await import('../../main/launch.js');
const { DataFileError } = await import('../../backend/data-dir.js');
const { defaultDataDir } = await import('../../backend/config.js');
const { validateConfig } = await import('../../backend/config.js');

const config = validateConfig({ port: 9311, dataDir: '/tmp/loginscope-lifecycle' });
const fakeBackend = (port = 9311) => ({
  port,
  urls: {},
  inspectorUrl: `http://inspector.localhost:${port}/?token=T`,
  close: vi.fn(async () => {}),
});

beforeEach(() => {
  resetElectronMock();
  backendStart.startLoginscope.mockReset();
  desktop.openDesktop.mockReset().mockImplementation(() => ({ window: new BaseWindow() }));
});

describe('configArgs', () => {
  it('keeps our flags and drops Chromium switches and the entry script', () => {
    const argv = ['/usr/bin/electron', '--inspect=0', '--remote-debugging-port=0', 'out/main/index.js', '--no-sandbox', '--port', '0', '--data-dir=/tmp/x', '--no-open', '--workflow', 'implicit-session', '--disable-gpu'];
    expect(configArgs(argv)).toEqual(['--port', '0', '--data-dir=/tmp/x', '--no-open', '--workflow', 'implicit-session']);
  });

  it('leaves a value flag without its value for loadConfig to name', () => {
    expect(configArgs(['--port'])).toEqual(['--port']);
  });
});

/** process.platform for each test of the enclosing describe (failStart's Linux case). */
function onPlatform(platform: NodeJS.Platform): void {
  const real = Object.getOwnPropertyDescriptor(process, 'platform')!;
  beforeEach(() => {
    Object.defineProperty(process, 'platform', { ...real, value: platform });
  });
  afterEach(() => {
    Object.defineProperty(process, 'platform', real);
  });
}

describe('failStart', () => {
  describe('on Linux', () => {
    onPlatform('linux');

    it('prints one line before ready, with no error box (Electron would print the box to stderr too)', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      failStart('Bad config: port: too big');
      expect(error).toHaveBeenCalledTimes(1);
      expect(dialog.showErrorBox).not.toHaveBeenCalled();
      expect(app.exit).toHaveBeenCalledWith(2);
    });

    it('shows the error box once ready, when it is a real dialog', () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      app.isReady.mockReturnValue(true);
      failStart('FusionAuth does not answer', 2);
      expect(dialog.showErrorBox).toHaveBeenCalledWith('Loginscope cannot start', 'FusionAuth does not answer');
    });
  });

  describe('on macOS and Windows', () => {
    onPlatform('darwin');

    it('shows the error box even before ready', () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      failStart('Bad config: port: too big', 1);
      expect(dialog.showErrorBox).toHaveBeenCalledTimes(1);
      expect(app.exit).toHaveBeenCalledWith(1);
    });
  });
});

describe('single-instance lock', () => {
  it('takes the lock, and quits when another instance holds it', () => {
    expect(claimSingleInstance({})).toBe(true);
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(claimSingleInstance({})).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  it('is skipped under tests that run several instances', () => {
    expect(claimSingleInstance({ LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' })).toBe(true);
    expect(app.requestSingleInstanceLock).not.toHaveBeenCalled();
  });
});

describe('closeOnQuit', () => {
  it('holds the quit until the backend has closed, closes it once, then quits for real', async () => {
    const backend = fakeBackend();
    closeOnQuit(backend);
    const first = fakeEvent();
    app.emit('will-quit', first);
    const second = fakeEvent();
    app.emit('will-quit', second);
    expect(first.defaultPrevented).toBe(true);
    expect(second.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    const last = fakeEvent();
    app.emit('will-quit', last);
    expect(last.defaultPrevented).toBe(false);
    expect(backend.close).toHaveBeenCalledTimes(1);
  });

  it('still quits when closing fails', async () => {
    const backend = fakeBackend();
    backend.close.mockRejectedValueOnce(new Error('disk gone'));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    closeOnQuit(backend);
    app.emit('will-quit', fakeEvent());
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('disk gone'));
  });
});

describe('startBackend: port in use', () => {
  it('offers another port and starts on a free one when chosen', async () => {
    const started = fakeBackend(40123);
    backendStart.startLoginscope.mockRejectedValueOnce(new PortInUseError(9311)).mockResolvedValueOnce(started);
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await expect(startBackend(config)).resolves.toBe(started);
    expect(dialog.showMessageBox).toHaveBeenCalledWith(expect.objectContaining({ message: 'Port 9311 is already in use.', buttons: ['Use another port', 'Quit'] }));
    expect(backendStart.startLoginscope).toHaveBeenLastCalledWith({ ...config, port: 0 });
  });

  it('resolves nothing when the user chooses to quit', async () => {
    backendStart.startLoginscope.mockRejectedValueOnce(new PortInUseError(9311));
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    await expect(startBackend(config)).resolves.toBeUndefined();
    expect(backendStart.startLoginscope).toHaveBeenCalledTimes(1);
  });

  it('a damaged data file or a locked data dir is one line and exit 2, no dialog about ports', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    backendStart.startLoginscope.mockRejectedValueOnce(new DataFileError('/tmp/x/app.db is empty (0 bytes), so its data is lost.'));
    await expect(startBackend(config)).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith('/tmp/x/app.db is empty (0 bytes), so its data is lost.');
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('passes any other failure on', async () => {
    backendStart.startLoginscope.mockRejectedValueOnce(new Error('database is locked'));
    await expect(startBackend(config)).rejects.toThrow('database is locked');
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });
});

describe('launch', () => {
  const argv = ['/electron', 'out/main/index.js', '--port', '0', '--data-dir', '/tmp/loginscope-launch'];

  it('starts the backend before the window, prints the ready line, and closes the backend on quit', async () => {
    const order: string[] = [];
    const backend = fakeBackend(40000);
    backendStart.startLoginscope.mockImplementationOnce(async () => (order.push('backend'), backend));
    desktop.openDesktop.mockImplementationOnce(() => (order.push('window'), { window: new BaseWindow() }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});

    await launch(argv, { LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1' });

    expect(order).toEqual(['backend', 'window']);
    expect(backendStart.startLoginscope).toHaveBeenCalledWith(expect.objectContaining({ port: 0, dataDir: '/tmp/loginscope-launch' }));
    expect(app.setPath).toHaveBeenCalledWith('userData', '/tmp/loginscope-launch/chromium');
    expect(log).toHaveBeenCalledWith('Loginscope ready: http://inspector.localhost:40000/?token=T');
    app.emit('will-quit', fakeEvent());
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(backend.close).toHaveBeenCalledTimes(1);
  });

  it('uses the same default data dir as web mode when none is chosen, with Chromium’s profile in its own folder there', async () => {
    backendStart.startLoginscope.mockResolvedValueOnce(fakeBackend());
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await launch(['/electron', '.'], {});
    expect(backendStart.startLoginscope).toHaveBeenCalledWith(expect.objectContaining({ dataDir: defaultDataDir(), port: 9311 }));
    expect(app.setPath).toHaveBeenCalledWith('userData', path.join(defaultDataDir(), 'chromium'));
    // The single-instance lock lives in userData: it must already point there.
    expect(app.setPath.mock.invocationCallOrder[0]).toBeLessThan(app.requestSingleInstanceLock.mock.invocationCallOrder[0]!);
  });

  it('puts Chromium’s profile under the data dir from the environment too', async () => {
    backendStart.startLoginscope.mockResolvedValueOnce(fakeBackend());
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await launch(['/electron', '.'], { LOGINSCOPE_DATA_DIR: 'relative/data' });
    expect(app.setPath).toHaveBeenCalledWith('userData', path.resolve('relative/data', 'chromium'));
  });

  it('focuses the window on a second instance, and does nothing once the window is gone', async () => {
    backendStart.startLoginscope.mockResolvedValueOnce(fakeBackend());
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const window = new BaseWindow();
    desktop.openDesktop.mockImplementationOnce(() => ({ window }));
    await launch(['/electron', '.', '--data-dir', '/tmp/x'], {});
    window.isMinimized.mockReturnValueOnce(true);
    app.emit('second-instance');
    expect(window.restore).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(1);

    window.close();
    expect(() => app.emit('second-instance')).not.toThrow();
    expect(window.isMinimized).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(1);
  });

  it('stops with exit code 2 and one line on bad config, before any backend or lock', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await launch(['/electron', '.', '--port', 'banana', '--data-dir', '/tmp/x'], {});
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Bad config: port: /));
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(backendStart.startLoginscope).not.toHaveBeenCalled();
  });

  it('exits 2 without a window when the port is taken and the user quits', async () => {
    backendStart.startLoginscope.mockRejectedValueOnce(new PortInUseError(9311));
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    await launch(['/electron', '.', '--data-dir', '/tmp/x'], {});
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(desktop.openDesktop).not.toHaveBeenCalled();
  });

  it('does nothing more when another instance holds the lock', async () => {
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    await launch(['/electron', '.'], {});
    expect(app.quit).toHaveBeenCalled();
    expect(backendStart.startLoginscope).not.toHaveBeenCalled();
  });
});
