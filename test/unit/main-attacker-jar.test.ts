import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from '../../backend/clock.js';
import { originUrls } from '../../backend/hosts.js';
import { TraceBus } from '../../backend/trace/bus.js';
import type { ExchangeEvent } from '../../backend/trace/types.js';

vi.mock('electron', () => import('./mocks/electron.js'));

const { FakeSession, resetElectronMock } = await import('./mocks/electron.js');
const { mirrorStolenCookies, stolenCookies } = await import('../../main/attacker-jar.js');
const { createTabs } = await import('../../main/tabs.js');

type Ses = Parameters<typeof mirrorStolenCookies>[0]['session'];

const urls = originUrls(9311);
const exchange = (over: Partial<ExchangeEvent>): Omit<ExchangeEvent, 'caused' | 'type'> => ({
  id: 1,
  time: 0,
  actor: 'attacker',
  origin: 'store',
  method: 'GET',
  url: `${urls.store}/api/cart`,
  path: '/api/cart',
  requestCookies: { 'store.sid': 'forged', 'store.rt': 'stolen-refresh-token' },
  status: 200,
  setCookies: ['store.sid=s%3Afresh.sig; Path=/; HttpOnly; SameSite=Strict'],
  durationMs: 3,
  ...over,
});

describe('stolenCookies', () => {
  it('turns what the attacker replayed and was handed into cookies for its own browser; the fresh session wins', () => {
    const cookies = stolenCookies({ ...exchange({}), type: 'exchange', caused: [] }, urls);
    expect(cookies).toEqual([
      { url: `${urls.store}/`, name: 'store.sid', value: 's%3Afresh.sig', path: '/', httpOnly: true, secure: false, sameSite: 'strict' },
      { url: `${urls.store}/`, name: 'store.rt', value: 'stolen-refresh-token', path: '/', httpOnly: true, sameSite: 'lax' },
    ]);
  });

  it('ignores the browser, the inspector and the attacker origin itself', () => {
    expect(stolenCookies({ ...exchange({ actor: 'browser' }), type: 'exchange', caused: [] }, urls)).toEqual([]);
    expect(stolenCookies({ ...exchange({ origin: 'attacker' }), type: 'exchange', caused: [] }, urls)).toEqual([]);
    expect(stolenCookies({ id: 2, time: 0, type: 'session.created', system: 'store', data: {} }, urls)).toEqual([]);
  });

  it('keeps an expiry from Set-Cookie', () => {
    const [cookie] = stolenCookies({ ...exchange({ requestCookies: {}, setCookies: ['k=v; Expires=Wed, 21 Oct 2043 07:28:00 GMT'] }), type: 'exchange', caused: [] }, urls);
    expect(cookie!.expirationDate).toBe(Date.UTC(2043, 9, 21, 7, 28) / 1000);
  });
});

describe('mirrorStolenCookies', () => {
  beforeEach(() => {
    resetElectronMock();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('gives the attacker tab the stolen cookies and opens the victim app there once the attack settles', async () => {
    const bus = new TraceBus(createClock());
    const ses = new FakeSession('persist:loginscope-attacker');
    const tabs = createTabs({ store: `${urls.store}/`, forum: `${urls.forum}/`, attacker: `${urls.attacker}/` });
    const stop = mirrorStolenCookies({ bus, urls, session: ses as unknown as Ses, tabs, settleMs: 50 });

    bus.publishExchange({ ...exchange({ actor: 'browser' }), id: bus.reserveExchange().id });
    bus.publishExchange({ ...exchange({}), id: bus.reserveExchange().id });
    await vi.advanceTimersByTimeAsync(49);
    expect(tabs.active()).toBe('store');
    await vi.advanceTimersByTimeAsync(1);

    expect(ses.cookies.jar.map((c) => c.name).sort()).toEqual(['store.rt', 'store.sid']);
    expect(tabs.active()).toBe('attacker');
    expect(tabs.state().tabs.find((t) => t.id === 'attacker')!.url).toBe(`${urls.store}/`);
    stop();
  });
});
