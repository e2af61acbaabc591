import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, IdentityOnlyProcess } from '../support/external-identity.js';
import { Browser } from '../support/http.js';
import { walkNativeRefresh } from '../support/native-refresh-walk.js';
import { InspectorClient, seedSteps, seenOrder, type InspectorState } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

const IDLE = 600;
const REFRESH_MINUTES = 60;

interface ExternalState extends InspectorState {
  identity: { kind: string; publicUrl: string; check: { ok: boolean; problems: unknown[] } | null };
  steps: Array<InspectorState['steps'][number] & { from: string; to: string; observable: boolean }>;
  trace?: unknown;
}

/**
 * native-refresh against an external identity server: a second Loginscope in its own process, started with
 * --identity-only, which this Loginscope reaches only through identity.kind = 'fusionauth' (url + API key + ids).
 */
describe('native-refresh against an external identity server (identity-only child process)', () => {
  let idp: IdentityOnlyProcess;
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const browser = new Browser();

  beforeAll(async () => {
    const port = await freePort();
    idp = await IdentityOnlyProcess.start(port);
    app = await startTestLoginscope({
      port,
      identity: idp.info.config.identity,
      ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: REFRESH_MINUTES, ssoSessionSeconds: 3600 },
    });
    inspector = new InspectorClient(app);
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  it('passes the connection check at start', async () => {
    expect(idp.info.publicUrl).toBe(`http://login.localhost:${idp.port}`);
    expect(app.identityCheck).toMatchObject({ ok: true, fatal: false, problems: [] });
    const state = await inspector.state<ExternalState>();
    expect(state.identity).toMatchObject({ kind: 'fusionauth', publicUrl: idp.info.publicUrl, check: { ok: true, problems: [] } });
    expect(state.cookies.login).toBeUndefined();
  });

  it('walks every step of the seed, in order, with every identity-server call going to the other process', async () => {
    await walkNativeRefresh({
      store: app.urls.store,
      forum: app.urls.forum,
      inspector: (path, json) => inspector.post(path, json),
      idleSeconds: IDLE,
      refreshMinutes: REFRESH_MINUTES,
      // The refresh token lives in the other process: "later still" happens at both servers, each clock moved
      // through its own inspector API.
      laterStill: async () => {
        expect((await idp.state()).idp.refreshTokens.length).toBeGreaterThan(0);
        await idp.advance(IDLE + 1 + REFRESH_MINUTES * 60 + 1);
      },
    }, browser);

    const state = await inspector.state<ExternalState>();
    const { order, unseen } = seenOrder(state);
    expect(unseen).toEqual([]);
    expect(order).toEqual(seedSteps(state).map((s) => s.n));
    expect(seedSteps(state)).toHaveLength(44);
    // No step of this workflow is between the browser and the identity server, so all are observable here.
    expect(state.steps.every((s) => s.observable)).toBe(true);
  });

  it('traced every backend call as going to the external server, and nothing at login.localhost of its own', async () => {
    const { events } = (await inspector.get('/trace')).json<{ events: Array<{ type: string; actor?: string; origin?: string; url?: string; path?: string; status?: number }> }>();
    const identityCalls = events.filter((e) => e.type === 'exchange' && (e.actor === 'store-backend' || e.actor === 'forum-backend'));
    expect(identityCalls.length).toBeGreaterThanOrEqual(6);
    for (const call of identityCalls) {
      expect(call.origin).toBe('external');
      expect(call.url!.startsWith(`${idp.info.publicUrl}/`)).toBe(true);
    }
    expect(identityCalls.map((c) => `${c.path} ${c.status}`)).toEqual(expect.arrayContaining(['/api/login 200', '/api/login 404', '/api/jwt/refresh 200']));
    expect(identityCalls.some((c) => c.path === '/api/jwt/refresh' && (c.status === 404 || c.status === 400))).toBe(true);
    expect(events.some((e) => e.type === 'exchange' && e.origin === 'login')).toBe(false);
    // The main process does not serve login.localhost at all.
    expect((await new Browser().fetch(`http://login.localhost:${app.port}/.well-known/jwks.json`)).status).toBe(421);
    // Inspector controls that belong to the identity server are refused: it is not ours.
    expect((await inspector.expire({ kind: 'refresh-token' })).status).toBe(409);
  });
});
