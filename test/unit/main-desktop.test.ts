import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { app, fakeEvent, resetElectronMock, session, WebContentsView } = await import('./mocks/electron.js');
const { openDesktop } = await import('../../main/desktop.js');
const { validateConfig } = await import('../../backend/config.js');
const { originUrls } = await import('../../backend/hosts.js');
const { ATTACKER_PARTITION, BROWSER_PARTITION, INSPECTOR_PARTITION } = await import('../../main/tabs.js');

type Backend = Parameters<typeof openDesktop>[1];
type View = InstanceType<typeof WebContentsView>;

const urls = originUrls(9311);
const backend = {
  urls,
  inspectorUrl: `${urls.inspector}/?token=T`,
  inspectorToken: 'T',
  bus: { subscribe: () => () => {} },
  demo: { onReset: () => () => {} },
} as unknown as Backend;
const embedded = validateConfig({ dataDir: '/tmp/loginscope-desktop' });
const external = validateConfig({
  dataDir: '/tmp/loginscope-desktop',
  identity: { kind: 'fusionauth', url: 'https://auth.example.com:9011', apiKey: 'k', applications: { store: { id: 's' }, forum: { id: 'f' } } },
});

/** Whether the view lets a top-level navigation to this URL go ahead. */
function navigates(view: View, url: string): boolean {
  const event = fakeEvent({ url });
  view.webContents.emit('will-navigate', event, url);
  return !event.defaultPrevented;
}

beforeEach(() => {
  resetElectronMock();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('openDesktop', () => {
  it('keeps the toolbar and the sidebar on the inspector origin, while the tabs may go to every app origin', () => {
    const desktop = openDesktop(embedded, backend);
    const inspectorViews = [desktop.toolbar, desktop.inspector] as unknown as View[];
    const tabViews = WebContentsView.created.filter((view) => !inspectorViews.includes(view));
    expect(tabViews).toHaveLength(3);
    for (const view of inspectorViews) {
      expect(navigates(view, `${urls.inspector}/chrome`)).toBe(true);
      for (const role of ['store', 'forum', 'login', 'attacker'] as const) expect(navigates(view, `${urls[role]}/`)).toBe(false);
    }
    for (const view of tabViews) {
      for (const role of ['store', 'forum', 'login', 'attacker'] as const) expect(navigates(view, `${urls[role]}/`)).toBe(true);
      expect(navigates(view, 'https://evil.example/')).toBe(false);
    }
  });

  it('guards web contents created later too (devtools, anything Electron makes)', () => {
    openDesktop(embedded, backend);
    const contents = new WebContentsView({ webPreferences: { partition: BROWSER_PARTITION } }).webContents;
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(navigates({ webContents: contents } as View, 'https://evil.example/')).toBe(false);
  });

  it('grants the clipboard write to the inspector partition only', () => {
    openDesktop(embedded, backend);
    const check = (partition: string) => session.fromPartition(partition).permissionCheckHandler!(null, 'clipboard-sanitized-write', urls.inspector, {});
    expect(check(INSPECTOR_PARTITION)).toBe(true);
    expect(check(BROWSER_PARTITION)).toBe(false);
    expect(check(ATTACKER_PARTITION)).toBe(false);
  });

  it('with a real FusionAuth, lets the tabs navigate there and observes only its host in both browser partitions', () => {
    const desktop = openDesktop(external, backend);
    const store = WebContentsView.created[0]!;
    expect(navigates(store, 'https://auth.example.com:9011/oauth2/authorize')).toBe(true);
    expect(navigates(desktop.inspector as unknown as View, 'https://auth.example.com:9011/oauth2/authorize')).toBe(false);
    for (const partition of [BROWSER_PARTITION, ATTACKER_PARTITION]) {
      expect(session.fromPartition(partition).webRequest.onHeadersReceived).toHaveBeenCalledWith({ urls: ['https://auth.example.com/*'] }, expect.any(Function));
    }
    expect(session.fromPartition(INSPECTOR_PARTITION).webRequest.onHeadersReceived).not.toHaveBeenCalled();
  });

  it('with the embedded identity server, sends no response through main at all', () => {
    openDesktop(embedded, backend);
    for (const partition of [BROWSER_PARTITION, ATTACKER_PARTITION, INSPECTOR_PARTITION]) {
      expect(session.fromPartition(partition).webRequest.onHeadersReceived).not.toHaveBeenCalled();
    }
    expect(app.listenerCount('web-contents-created')).toBe(1);
  });
});
