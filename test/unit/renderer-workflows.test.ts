import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserWorkflows } from '../../renderer/shared/workflows/index.js';
import { createNativeRefresh, dropStrayRedirectAnswer } from '../../renderer/shared/workflows/native-refresh.js';
import { formatCents } from '../../renderer/store/money.js';
import { timeAgo } from '../../renderer/forum/relative-time.js';

const authorize = { url: 'http://login.localhost:1/oauth2/authorize', clientId: 'c', redirectUri: 'http://store.localhost:1/oauth-redirect' };

describe('workflow map', () => {
  it('has one entry per workflow, each building the workflow it is filed under', () => {
    for (const [id, create] of Object.entries(browserWorkflows)) {
      expect(create({ id: id as keyof typeof browserWorkflows, title: id, authorize }).id).toBe(id);
    }
    expect(Object.keys(browserWorkflows).sort()).toEqual(['implicit-session', 'native-refresh']);
  });
});

describe('native-refresh in the browser', () => {
  afterEach(() => vi.unstubAllGlobals());
  const workflow = createNativeRefresh({ id: 'native-refresh', title: 'x' });

  it('uses the in-page password form and sends a lost session back to it', () => {
    expect(workflow.login.kind).toBe('password-form');
    expect(workflow.sessionEnded()).toEqual({ status: 'logged-out', notice: { kind: 'session-ended' } });
  });

  it("posts the credentials and passes on the server's message when they are wrong", async () => {
    const fetchStub = vi.fn(
      async () =>
        new Response(JSON.stringify({ error: { code: 'invalid_credentials', message: 'Wrong email or password.' } }), { status: 401 }),
    );
    vi.stubGlobal('fetch', fetchStub);
    if (workflow.login.kind !== 'password-form') throw new Error('expected a form');
    const outcome = await workflow.login.submit({ email: 'demo@example.com', password: 'nope' });
    expect(outcome).toEqual({ ok: false, message: 'Wrong email or password.' });
    expect(fetchStub).toHaveBeenCalledWith('/api/login', expect.objectContaining({ method: 'POST', body: '{"email":"demo@example.com","password":"nope"}' }));
  });

  it.each([
    [404, { status: 'logged-out' }],
    [500, { status: 'failed', message: 'Boom.' }],
  ])('start-up maps /api/me %i', async (status, expected) => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'x', message: 'Boom.' } }), { status }));
    expect(await workflow.startUp()).toEqual(expected);
  });

  it.each([
    ['/oauth-redirect', '#access_token=eyJ.x.y&state=s', true],
    ['/', '#access_token=eyJ.x.y', true],
    ['/', '#error=access_denied', true],
    ['/', '', false],
  ])('start-up at %s%s drops an identity server answer meant for the implicit grant: %s', (pathname, hash, dropped) => {
    const replaceState = vi.fn();
    vi.stubGlobal('window', { location: { pathname, hash }, history: { replaceState } });
    dropStrayRedirectAnswer();
    expect(replaceState.mock.calls).toEqual(dropped ? [[null, '', '/']] : []);
  });

  it('start-up reports a backend that does not answer', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await workflow.startUp()).toMatchObject({ status: 'failed' });
  });
});

describe('formatting', () => {
  it('shows cents as dollars', () => {
    expect(formatCents(1999)).toBe('$19.99');
    expect(formatCents(0)).toBe('$0.00');
  });

  it('words post times relative to now', () => {
    const now = Date.UTC(2025, 0, 10, 12);
    expect(timeAgo(now - 10_000, now)).toBe('just now');
    expect(timeAgo(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(timeAgo(now - 3 * 3600_000, now)).toBe('3 hours ago');
    expect(timeAgo(now - 24 * 3600_000, now)).toBe('yesterday');
  });
});
