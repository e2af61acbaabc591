import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeSession, resetElectronMock } = await import('./mocks/electron.js');
const { observeExternalIdentity, toObservedExchange } = await import('../../main/web-request.js');

type Options = Parameters<typeof observeExternalIdentity>[0];
type Details = Parameters<typeof toObservedExchange>[0];

const details = (url: string, extra: Partial<Details> = {}): Details => ({
  id: 1,
  url,
  method: 'GET',
  resourceType: 'mainFrame',
  referrer: '',
  timestamp: 1_700_000_000_000.25,
  statusLine: 'HTTP/1.1 302 Found',
  statusCode: 302,
  responseHeaders: { 'Set-Cookie': ['fusionauth.sso=abc; HttpOnly'], Location: ['http://store.localhost:9311/oauth-redirect#access_token=t'] },
  initiatorOrigin: 'http://store.localhost:9311',
  ...extra,
});

describe('toObservedExchange', () => {
  it('keeps what the trace needs, whatever the header case', () => {
    expect(toObservedExchange(details('https://auth.example.com/oauth2/authorize?x=1'), 'persist:loginscope-browser')).toEqual({
      source: 'electron',
      partition: 'persist:loginscope-browser',
      time: 1_700_000_000_000,
      method: 'GET',
      url: 'https://auth.example.com/oauth2/authorize?x=1',
      status: 302,
      resourceType: 'mainFrame',
      initiator: 'http://store.localhost:9311',
      setCookies: ['fusionauth.sso=abc; HttpOnly'],
      location: 'http://store.localhost:9311/oauth-redirect#access_token=t',
    });
  });
});

describe('observeExternalIdentity', () => {
  beforeEach(resetElectronMock);

  const observe = (ses: InstanceType<typeof FakeSession>, report: Options['report']) =>
    observeExternalIdentity({ session: ses as unknown as Options['session'], partition: ses.partition, identityOrigin: 'https://auth.example.com', report });
  const listenerOf = (ses: InstanceType<typeof FakeSession>) => ses.webRequest.onHeadersReceived.mock.calls[0]![1] as (d: Details, cb: (r: object) => void) => void;

  it('reports responses from the external FusionAuth only, and always lets the response through unchanged', () => {
    const ses = new FakeSession('persist:loginscope-browser');
    const report = vi.fn();
    observe(ses, report);
    const listener = listenerOf(ses);
    const callback = vi.fn();
    listener(details('https://auth.example.com/oauth2/authorize'), callback);
    listener(details('http://store.localhost:9311/api/cart'), callback);
    listener(details('https://auth.example.com:8443/elsewhere'), callback);
    expect(report).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledTimes(3);
    // Only the FusionAuth host comes through main, not every loopback page and API call.
    expect(ses.webRequest.onHeadersReceived.mock.calls[0]![0]).toEqual({ urls: ['https://auth.example.com/*'] });
    for (const call of callback.mock.calls) expect(call[0]).toEqual({});
  });

  it('calls the callback, and throws nothing into main, when reporting fails', () => {
    const ses = new FakeSession('p');
    observe(ses, () => {
      throw new Error('boom');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const callback = vi.fn();
    listenerOf(ses)(details('https://auth.example.com/'), callback);
    expect(callback).toHaveBeenCalledWith({});
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('boom'));
  });

  it('is the one owner of a session: a second observer is refused', () => {
    const ses = new FakeSession('p');
    observe(ses, vi.fn());
    expect(() => observe(ses, vi.fn())).toThrow(/already has an owner/);
    expect(ses.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
  });
});
