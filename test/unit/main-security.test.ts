import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeSession, FakeWebContents, fakeEvent, resetElectronMock } = await import('./mocks/electron.js');
const security = await import('../../main/security.js');
const { hardenContents, isAllowedNavigation, limitPermissions, navigationAllowlist, secureWebPreferences } = security;

type Contents = Parameters<typeof hardenContents>[0];
type Ses = Parameters<typeof limitPermissions>[0];

const ours = ['store', 'forum', 'login', 'inspector', 'attacker'].map((role) => `http://${role}.localhost:9311`);
const allowed = navigationAllowlist(ours, 'https://auth.example.com:9011/some/path');

describe('isAllowedNavigation', () => {
  it.each([
    'http://store.localhost:9311/',
    'http://forum.localhost:9311/posts?page=2',
    'http://login.localhost:9311/oauth2/authorize?client_id=x',
    'http://store.localhost:9311/oauth-redirect#access_token=abc',
    'https://auth.example.com:9011/oauth2/authorize',
  ])('lets %s through', (url) => {
    expect(isAllowedNavigation(url, allowed)).toBe(true);
  });

  it.each([
    ['a foreign origin', 'https://evil.example/'],
    ['a look-alike host', 'http://store.localhost.evil.example:9311/'],
    ['another port', 'http://store.localhost:9312/'],
    ['another scheme', 'https://store.localhost:9311/'],
    ['a bare loopback IP', 'http://127.0.0.1:9311/'],
    ['the external FusionAuth over plain http', 'http://auth.example.com:9011/'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<h1>hi</h1>'],
    ['garbage', 'not a url'],
  ])('blocks %s', (_what, url) => {
    expect(isAllowedNavigation(url, allowed)).toBe(false);
  });
});

describe('hardenContents', () => {
  beforeEach(resetElectronMock);

  const harden = () => {
    const contents = new FakeWebContents();
    hardenContents(contents as unknown as Contents, allowed);
    return contents;
  };

  it.each(['will-navigate', 'will-redirect'])('cancels %s to a foreign origin and lets ours proceed', (eventName) => {
    const contents = harden();
    const foreign = fakeEvent({ url: 'https://evil.example/phish' });
    contents.emit(eventName, foreign, foreign.url);
    expect(foreign.defaultPrevented).toBe(true);
    const own = fakeEvent({ url: 'http://forum.localhost:9311/' });
    contents.emit(eventName, own, own.url);
    expect(own.defaultPrevented).toBe(false);
  });

  it('cancels navigation to javascript: and file: URLs', () => {
    const contents = harden();
    for (const url of ['javascript:void(0)', 'file:///home/user/.ssh/id_rsa']) {
      const event = fakeEvent({ url });
      contents.emit('will-navigate', event, url);
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it('denies every window.open, even to our own origins', () => {
    const contents = harden();
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://store.localhost:9311/' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a webview', () => {
    const contents = harden();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('limitPermissions', () => {
  const inspector = 'http://inspector.localhost:9311';
  const guarded = (inspectorOrigin?: string) => {
    const ses = new FakeSession('persist:test');
    limitPermissions(ses as unknown as Ses, inspectorOrigin);
    const request = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      ses.permissionRequestHandler!({}, permission, callback, { requestingUrl });
      expect(callback).toHaveBeenCalledTimes(1);
      return callback.mock.calls[0]![0] as boolean;
    };
    const check = (permission: string, origin: string) => ses.permissionCheckHandler!({}, permission, origin, {});
    return { request, check };
  };

  it('lets the inspector pages write to the clipboard (the copy buttons), in the request and the check alike', () => {
    const { request, check } = guarded(inspector);
    expect(request('clipboard-sanitized-write', `${inspector}/?token=T`)).toBe(true);
    expect(check('clipboard-sanitized-write', inspector)).toBe(true);
  });

  it.each([
    ['another permission of the inspector', 'clipboard-read', inspector],
    ['notifications for the inspector', 'notifications', inspector],
    ['the clipboard for the store', 'clipboard-sanitized-write', 'http://store.localhost:9311'],
    ['the clipboard for the attacker', 'clipboard-sanitized-write', 'http://attacker.localhost:9311'],
    ['the clipboard for the inspector host on another port', 'clipboard-sanitized-write', 'http://inspector.localhost:9312'],
    ['the clipboard for a look-alike host', 'clipboard-sanitized-write', 'http://inspector.localhost.evil.example:9311'],
    ['the clipboard for an unparsable origin', 'clipboard-sanitized-write', ''],
  ])('denies %s', (_what, permission, origin) => {
    const { request, check } = guarded(inspector);
    expect(request(permission, `${origin}/page`)).toBe(false);
    expect(check(permission, origin)).toBe(false);
  });

  it('denies everything, the clipboard included, in a session given no inspector origin', () => {
    const { request, check } = guarded();
    expect(request('clipboard-sanitized-write', `${inspector}/`)).toBe(false);
    expect(check('clipboard-sanitized-write', inspector)).toBe(false);
    expect(request('media', 'http://store.localhost:9311/')).toBe(false);
  });
});

describe('secureWebPreferences', () => {
  it('keeps isolation, the sandbox and web security on whatever the view asks for', () => {
    const prefs = secureWebPreferences({ partition: 'persist:x', ...({ nodeIntegration: true, sandbox: false } as object) });
    expect(prefs).toMatchObject({ partition: 'persist:x', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });
});
