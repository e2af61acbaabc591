/**
 * Hand-written stand-ins for the parts of Electron that main/ uses (Electron Fiddle's approach): enough behaviour
 * to drive main/ from tests, with vi.fn() spies where a test asserts a call. Used via
 * `vi.mock('electron', () => import('./mocks/electron.js'))`; `resetElectronMock()` between tests.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: any[]) => unknown;

/** An Electron-style event: listeners call preventDefault(); tests read `defaultPrevented`. */
export function fakeEvent<T extends object>(params: T = {} as T) {
  const event = {
    ...params,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebFrameMain {
  constructor(
    public url: string,
    public parent: FakeWebFrameMain | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  constructor(readonly session: FakeSession = new FakeSession('')) {
    super();
  }
  url = '';
  title = '';
  loading = false;
  destroyed = false;
  zoomFactor = 1;
  private history: string[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: 'allow' | 'deny' };
  readonly navigationHistory = {
    canGoBack: () => this.history.length > 1,
    goBack: vi.fn(() => {
      this.history.pop();
      this.url = this.history.at(-1) ?? '';
    }),
    clear: vi.fn(() => {
      this.history = this.url ? [this.url] : [];
    }),
  };
  loadURL = vi.fn(async (url: string) => {
    this.url = url;
    this.history.push(url);
    this.emit('did-navigate', fakeEvent(), url);
  });
  reload = vi.fn();
  reloadIgnoringCache = vi.fn();
  send = vi.fn();
  zoomMode = 'default';
  setZoomMode = vi.fn((mode: string) => {
    this.zoomMode = mode;
  });
  setZoomFactor = vi.fn((factor: number) => {
    this.zoomFactor = factor;
  });
  close = vi.fn(() => {
    this.destroyed = true;
    this.emit('destroyed');
  });
  setWindowOpenHandler = vi.fn((handler: FakeWebContents['windowOpenHandler']) => {
    this.windowOpenHandler = handler;
  });
  getURL = () => this.url;
  getTitle = () => this.title;
  isLoading = () => this.loading;
  isDestroyed = () => this.destroyed;

  /** A same-document navigation (fragment or history API), as `did-navigate-in-page` reports it. */
  navigateInPage(url: string): void {
    this.url = url;
    this.emit('did-navigate-in-page', fakeEvent(), url, true);
  }
}

export class WebContentsView {
  static created: WebContentsView[] = [];
  readonly webContents: FakeWebContents;
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  visible = true;
  /** As in Electron: the contents get their partition's session, and the app hears of them as they are created. */
  constructor(readonly options: { webPreferences?: Record<string, unknown> } = {}) {
    this.webContents = new FakeWebContents(session.fromPartition(String(options.webPreferences?.partition ?? '')));
    WebContentsView.created.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  setBounds = vi.fn((bounds: WebContentsView['bounds']) => {
    this.bounds = bounds;
  });
  getBounds = () => this.bounds;
  setVisible = vi.fn((visible: boolean) => {
    this.visible = visible;
  });
}

export class BaseWindow extends EventEmitter {
  static windows: BaseWindow[] = [];
  static getAllWindows = () => BaseWindow.windows;
  private size: [number, number];
  readonly contentView = { children: [] as WebContentsView[], addChildView: (view: WebContentsView) => this.contentView.children.push(view) };
  constructor(readonly options: { width?: number; height?: number; title?: string } = {}) {
    super();
    this.size = [options.width ?? 800, options.height ?? 600];
    BaseWindow.windows.push(this);
  }
  getContentSize = () => [...this.size];
  /** What the OS does on a resize: new size, then the event. */
  resizeTo(width: number, height: number): void {
    this.size = [width, height];
    this.emit('resize');
  }
  getTitle = () => this.options.title ?? '';
  destroyed = false;
  isDestroyed = () => this.destroyed;
  /** What closing the window does: destroyed, then 'closed'. */
  close = vi.fn(() => {
    this.destroyed = true;
    this.emit('closed');
  });
  isMinimized = vi.fn(() => false);
  restore = vi.fn();
  focus = vi.fn();
}

export class FakeCookies extends EventEmitter {
  jar: Array<Record<string, unknown>> = [];
  get = vi.fn(async (_filter: object) => this.jar);
  set = vi.fn(async (details: Record<string, unknown>) => {
    this.jar = [...this.jar.filter((c) => c.name !== details.name), details];
  });
}

export class FakeSession {
  readonly cookies = new FakeCookies();
  readonly webRequest = { onHeadersReceived: vi.fn() };
  permissionRequestHandler?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
  permissionCheckHandler?: (contents: unknown, permission: string, requestingOrigin: string, details: object) => boolean;
  constructor(readonly partition: string) {}
  setPermissionRequestHandler = vi.fn((handler: FakeSession['permissionRequestHandler']) => {
    this.permissionRequestHandler = handler;
  });
  setPermissionCheckHandler = vi.fn((handler: FakeSession['permissionCheckHandler']) => {
    this.permissionCheckHandler = handler;
  });
  clearStorageData = vi.fn(async () => {
    this.cookies.jar = [];
  });
}

const partitions = new Map<string, FakeSession>();
export const session = {
  fromPartition: (partition: string) => {
    let ses = partitions.get(partition);
    if (!ses) partitions.set(partition, (ses = new FakeSession(partition)));
    return ses;
  },
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  paths = new Map<string, string>([['userData', '/tmp/loginscope-mock-user-data']]);
  requestSingleInstanceLock = vi.fn(() => true);
  isReady = vi.fn(() => false);
  quit = vi.fn();
  exit = vi.fn();
  whenReady = vi.fn(async () => {});
  getPath = vi.fn((name: string) => this.paths.get(name) ?? `/tmp/${name}`);
  setPath = vi.fn((name: string, value: string) => {
    this.paths.set(name, value);
  });
}
export const app = new FakeApp();

export const dialog = {
  showMessageBox: vi.fn(async (_options: object) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn(),
};

const handlers = new Map<string, Listener>();
export const ipcMain = {
  handle: vi.fn((channel: string, handler: Listener) => {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  /** What ipcRenderer.invoke would do: run the handler with this event (rejections included). */
  invoke: async (channel: string, event: { sender: unknown; senderFrame: FakeWebFrameMain | null }, ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  },
  handlers,
};

/** Renderer side, for the preload: what it exposes, and what it sends. */
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async (..._args: unknown[]) => undefined) });

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export const net = { fetch: vi.fn(async (_url: string, _init?: object) => new Response(null, { status: 204 })) };

export function resetElectronMock(): void {
  WebContentsView.created = [];
  BaseWindow.windows = [];
  partitions.clear();
  handlers.clear();
  app.removeAllListeners();
  ipcRenderer.removeAllListeners();
  app.paths = new Map([['userData', '/tmp/loginscope-mock-user-data']]);
  // Back to the implementations given to vi.fn() above, dropping any a test set.
  vi.resetAllMocks();
}
