import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { formToken } from '../support/hosted-form.js';
import { Browser } from '../support/http.js';
import { InspectorClient } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

/**
 * Issue 15: each defence switched on flips its attack from worked to refused, for the defence's own reason,
 * over real HTTP. Time moves by the inspector's clock only.
 */
const IDLE = 600;
const credentials = { email: 'demo@example.com', password: 'demo-password' };
const VICTIM_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) VictimBrowser/1.0';

interface Outcome {
  succeeded: boolean;
  kind: string;
  status: number;
  outcome: string;
}
interface DefenceState {
  defences: Record<string, boolean>;
  defencesShown: Array<{ id: string; title: string; explanation: string; clause: string; workflows: string[] }>;
  sessions: Record<'store' | 'forum', Array<{ sid: string; status: string; endReason: string | null; absoluteExpiresAt: number; createdAt: number }>>;
  idp: { refreshTokens: Array<{ id: string; status: string; revokedReason?: string }> };
  switches: Record<string, boolean>;
}

describe('defences (issue 15), over real HTTP', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  let browser: Browser;
  const store = (p: string) => `${app.urls.store}${p}`;
  const attack = async (id: string, body?: Record<string, unknown>) => {
    const res = body ? await inspector.post(`/attacks/${id}`, body) : await inspector.attack(id);
    expect(res.status, res.text).toBe(200);
    return res.json<Outcome>();
  };
  const defences = (values: Record<string, unknown>) => inspector.post('/defences', values);
  const state = () => inspector.state<DefenceState>();
  const logIn = async () => {
    const res = await browser.fetch(store('/api/login'), { json: credentials, headers: { 'user-agent': VICTIM_AGENT } });
    expect(res.status).toBe(200);
  };
  const victimCart = () => browser.fetch(store('/api/cart'), { headers: { 'user-agent': VICTIM_AGENT } });

  beforeAll(async () => {
    app = await startTestLoginscope({ ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 } });
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());
  beforeEach(async () => {
    expect((await inspector.post('/reset')).status).toBe(200);
    browser = new Browser();
  });

  describe('the API', () => {
    it('lists every defence in the state, all off but the audience check (which was on before it became a defence)', async () => {
      const s = await state();
      expect(s.defences).toEqual({ 'rt-rotation': false, 'short-absolute-timeout': false, 'client-binding': false, 'strict-csp': false, 'audience-check': true });
      // native-refresh is shown: the audience check belongs to the implicit grant's start-session API.
      expect(s.defencesShown.map((d) => d.id)).toEqual(['rt-rotation', 'short-absolute-timeout', 'client-binding']);
      for (const d of s.defencesShown) {
        expect(d.explanation.length).toBeGreaterThan(20);
        expect(d.clause).toMatch(/RFC 9700|OWASP|FusionAuth/);
      }
    });

    it('switches defences on and off, and Reset turns them off', async () => {
      const on = await defences({ 'rt-rotation': true, 'client-binding': true });
      expect(on.status).toBe(200);
      expect(on.json<{ defences: Record<string, boolean> }>().defences).toMatchObject({ 'rt-rotation': true, 'client-binding': true, 'short-absolute-timeout': false });
      expect((await state()).defences['rt-rotation']).toBe(true);
      await inspector.post('/reset');
      expect((await state()).defences).toMatchObject({ 'rt-rotation': false, 'client-binding': false, 'short-absolute-timeout': false });
    });

    it('refuses unknown ids, inherited keys and non-booleans with 400 naming the valid ids', async () => {
      for (const body of [{ nope: true }, { toString: true }, { hasOwnProperty: false }, { constructor: true }, { 'rt-rotation': 'yes' }, {}, ['rt-rotation']]) {
        const res = await inspector.post('/defences', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        const error = res.json<{ error: { code: string; message: string } }>().error;
        expect(error.code).toBe('invalid_defences');
        expect(error.message).toContain('rt-rotation, short-absolute-timeout, client-binding, strict-csp, audience-check');
      }
      expect((await state()).defences['rt-rotation']).toBe(false);
    });

    it('the audience-check defence and the audienceCheck switch are one setting', async () => {
      await defences({ 'audience-check': false });
      expect((await state()).switches.audienceCheck).toBe(false);
      await inspector.switches({ audienceCheck: true });
      expect((await state()).defences['audience-check']).toBe(true);
    });

    it('refuses bad attack options with 400', async () => {
      expect((await inspector.post('/attacks/stolen-session-cookie', { copyUserAgent: 'yes' })).status).toBe(400);
      expect((await inspector.post('/attacks/stolen-refresh-token', { mode: 'later' })).status).toBe(400);
      expect((await inspector.post('/attacks/stolen-refresh-token', { other: 1 })).status).toBe(400);
    });
  });

  describe('rt-rotation', () => {
    it('off: the stolen refresh token buys the attacker the cart', async () => {
      await logIn();
      const out = await attack('stolen-refresh-token');
      expect(out).toMatchObject({ succeeded: true, kind: 'worked' });
      // Reusable: the victim's refresh token still works after its session ends.
      await inspector.advance(IDLE + 1);
      expect((await victimCart()).status).toBe(200);
    });

    it('on, victim first then attacker: the attacker is refused and the whole family is revoked', async () => {
      await defences({ 'rt-rotation': true });
      await logIn();
      expect(await attack('stolen-refresh-token', { mode: 'steal' })).toMatchObject({ kind: 'armed', succeeded: false });
      await inspector.advance(IDLE + 1);
      // The victim's session has ended; its refresh rotates the token.
      expect((await victimCart()).status).toBe(200);
      const out = await attack('stolen-refresh-token', { mode: 'replay-stolen' });
      expect(out).toMatchObject({ succeeded: false, kind: 'refused' });
      expect(out.outcome).toMatch(/rotation with reuse detection/);
      expect(out.outcome).toMatch(/revoked the whole token family/);
      const [token] = (await state()).idp.refreshTokens;
      expect(token).toMatchObject({ status: 'revoked', revokedReason: 'reused' });
      // The victim's current (rotated) token is dead too: once its session ends, 401.
      await inspector.advance(IDLE + 1);
      expect((await victimCart()).status).toBe(401);
    });

    it('on, attacker first then victim: the victim’s next refresh is a reuse, which revokes the family: 401', async () => {
      await defences({ 'rt-rotation': true });
      await logIn();
      // The first use wins: the attacker's.
      expect(await attack('stolen-refresh-token')).toMatchObject({ succeeded: true });
      await inspector.advance(IDLE + 1);
      const victim = await victimCart();
      expect(victim.status).toBe(401);
      const [token] = (await state()).idp.refreshTokens;
      expect(token).toMatchObject({ status: 'revoked', revokedReason: 'reused' });
      // The attacker's rotated value was the family's current one: it is refused now too.
      const again = await attack('stolen-refresh-token', { mode: 'replay-stolen' });
      expect(again).toMatchObject({ succeeded: false, kind: 'refused' });
    });

    it('off again: the identity server is back to reusable tokens', async () => {
      await defences({ 'rt-rotation': true });
      await defences({ 'rt-rotation': false });
      await logIn();
      expect(await attack('stolen-refresh-token')).toMatchObject({ succeeded: true });
      expect(await attack('stolen-refresh-token', { mode: 'replay-stolen' })).toMatchObject({ succeeded: true });
    });
  });

  describe('short-absolute-timeout', () => {
    // Kept busy by the thief every 5 minutes, the session never idles out.
    const keepBusy = async () => {
      const results: boolean[] = [];
      for (let i = 0; i < 3; i++) {
        await inspector.advance(5 * 60 + 30);
        results.push((await attack('stolen-session-cookie')).succeeded);
      }
      return results;
    };

    it('off: a busy stolen session cookie still works after 16 minutes', async () => {
      await logIn();
      expect(await keepBusy()).toEqual([true, true, true]);
    });

    it('on: it works inside the 15-minute window and is refused after it, for the absolute timeout', async () => {
      await defences({ 'short-absolute-timeout': true });
      await logIn();
      const [session] = (await state()).sessions.store;
      expect(session!.absoluteExpiresAt - session!.createdAt).toBe(15 * 60 * 1000);
      await inspector.advance(5 * 60 + 30);
      expect((await attack('stolen-session-cookie')).succeeded).toBe(true);
      await inspector.advance(5 * 60 + 30);
      expect((await attack('stolen-session-cookie')).succeeded).toBe(true);
      await inspector.advance(5 * 60 + 30);
      const out = await attack('stolen-session-cookie');
      expect(out).toMatchObject({ succeeded: false, kind: 'refused', status: 401 });
      expect(out.outcome).toMatch(/absolute timeout/);
      expect((await state()).sessions.store.find((s) => s.sid === session!.sid)).toMatchObject({ status: 'ended', endReason: 'expired-absolute' });
    });

    it('on: caps the sessions already live when it is switched on', async () => {
      await logIn();
      await defences({ 'short-absolute-timeout': true });
      const [session] = (await state()).sessions.store;
      expect(session!.absoluteExpiresAt - session!.createdAt).toBe(15 * 60 * 1000);
    });
  });

  describe('client-binding', () => {
    it('off: the careless thief gets the cart with its own user agent', async () => {
      await logIn();
      expect(await attack('stolen-session-cookie')).toMatchObject({ succeeded: true });
    });

    it('on: the careless thief is refused and the session ends, for the user agent mismatch', async () => {
      await defences({ 'client-binding': true });
      await logIn();
      // The victim itself is let through.
      expect((await victimCart()).status).toBe(200);
      const out = await attack('stolen-session-cookie');
      expect(out).toMatchObject({ succeeded: false, kind: 'refused', status: 401 });
      expect(out.outcome).toMatch(/client binding/);
      const { store: rows } = (await state()).sessions;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'ended', endReason: 'client-mismatch' });
      // The victim is logged out too; its refresh token (native-refresh) opens a new session for its own browser.
      const victim = await victimCart();
      expect(victim.status).toBe(200);
      expect((await state()).sessions.store[0]).toMatchObject({ status: 'active' });
    });

    it('on: the careful thief who copies the victim’s user agent gets through (a weak defence)', async () => {
      await defences({ 'client-binding': true });
      await logIn();
      const out = await attack('stolen-session-cookie', { copyUserAgent: true });
      expect(out).toMatchObject({ succeeded: true, kind: 'worked' });
      expect(out.outcome).toMatch(/only detects careless thieves/);
      expect((await state()).sessions.store[0]).toMatchObject({ status: 'active' });
    });
  });

  describe('audience-check (implicit-session)', () => {
    /** The implicit grant at the forum, as its SPA does it: authorize, the hosted form, the start-session API. */
    async function logInToForum(): Promise<void> {
      const info = (await browser.fetch(`${app.urls.forum}/api/workflow`)).json<{ authorize: { url: string; clientId: string; redirectUri: string } }>();
      const state = randomUUID();
      const oauth = { client_id: info.authorize.clientId, redirect_uri: info.authorize.redirectUri, response_type: 'token', state };
      const url = new URL(info.authorize.url);
      url.search = new URLSearchParams({ ...oauth, nonce: randomUUID() }).toString();
      const form = await browser.fetch(url.toString());
      const posted = await browser.fetch(`${url.origin}/oauth2/authorize`, { form: { csrfToken: formToken(form), loginId: credentials.email, password: credentials.password, ...oauth } });
      expect(posted.status).toBe(302);
      const token = new URLSearchParams(new URL(posted.location!).hash.slice(1)).get('access_token')!;
      expect((await browser.fetch(`${app.urls.forum}/api/session`, { json: { token } })).status).toBe(200);
    }

    it('off: a forum token opens a store session; on: refused for its audience', async () => {
      expect((await inspector.workflow('implicit-session')).status).toBe(200);
      try {
        const shown = (await state()).defencesShown.map((d) => d.id);
        expect(shown).toContain('audience-check');
        expect(shown).not.toContain('rt-rotation');
        await logInToForum();
        await defences({ 'audience-check': false });
        expect(await attack('token-injection')).toMatchObject({ succeeded: true, kind: 'worked' });
        await defences({ 'audience-check': true });
        const out = await attack('token-injection');
        expect(out).toMatchObject({ succeeded: false, kind: 'refused', status: 401 });
        expect(out.outcome).toMatch(/audience check.*another application/);
      } finally {
        await inspector.workflow('native-refresh');
      }
    });
  });

  describe('strict-csp (implicit-session)', () => {
    // The browser half (the image request refused, the attack refused) is in test/e2e/defences.spec.ts.
    it('off: with the injected script armed, the pages let images go to attacker.localhost; on: they name no third party', async () => {
      expect((await inspector.workflow('implicit-session')).status).toBe(200);
      try {
        expect((await attack('fragment-theft')).kind).toBe('armed');
        const csp = async () => String((await browser.fetch(store('/oauth-redirect'))).headers['content-security-policy']);
        const off = await csp();
        expect(off).toContain(`img-src 'self' data: ${app.urls.attacker}`);
        await defences({ 'strict-csp': true });
        const on = await csp();
        expect(on).toMatch(/img-src 'self' data:;/);
        expect(on).toContain("connect-src 'self'");
        expect(on).not.toContain('attacker');
        // The compromised include is still served: the CSP, not the absence of the script, is what stops it.
        expect((await browser.fetch(store('/oauth-redirect'))).text).toContain('/vendor/analytics.js');
        const out = await attack('fragment-theft');
        expect(out).toMatchObject({ kind: 'not-ready' });
        expect(out.outcome).toMatch(/strict content security policy/);
      } finally {
        await inspector.workflow('native-refresh');
      }
    });
  });
});
