import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, IdentityOnlyProcess } from '../support/external-identity.js';
import { Browser, type HttpResponse } from '../support/http.js';
import { InspectorClient, seedSteps, seenOrder, type InspectorState } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';
import { formToken } from '../support/hosted-form.js';

const IDLE = 600;
const NOT_OBSERVED = 'not observed here (open in the desktop app)';
/** The steps whose arrows run between the browser and the identity server (lanes browser ↔ idp). */
const BROWSER_IDP_STEPS = [5, 6, 7, 8, 19, 20, 33, 34];

interface WorkflowInfo {
  id: string;
  authorize: { url: string; clientId: string; redirectUri: string };
}
type StepView = InspectorState['steps'][number] & { from: string; to: string; observable: boolean; observableReason: string | null };
interface ExternalState extends Omit<InspectorState, 'steps'> {
  identity: { kind: string; publicUrl: string; observed: boolean };
  steps: StepView[];
}

/** Each response the browser got from the identity server, as Electron's webRequest would report it (or nothing, in web mode). */
type Observe = (method: string, url: string, res: HttpResponse) => Promise<void>;

/**
 * implicit-session against an external identity server (a second Loginscope, --identity-only, in its own process).
 * The browser talks to it directly, so the main Loginscope's loopback trace cannot see steps 5–8, 19–20 and 33–34:
 * in web mode they are reported `observable: false`; once the desktop app's webRequest feed reports them
 * (POST /api/trace/observed) they light like the others.
 */
describe('implicit-session against an external identity server (identity-only child process)', () => {
  let idp: IdentityOnlyProcess;
  let app: TestLoginscope;
  let inspector: InspectorClient;

  beforeAll(async () => {
    const port = await freePort();
    idp = await IdentityOnlyProcess.start(port);
    app = await startTestLoginscope({
      port,
      workflow: 'implicit-session',
      identity: idp.info.config.identity,
      ttl: { sessionIdleSeconds: IDLE, sessionAbsoluteSeconds: 8 * 3600, accessTokenSeconds: 300, refreshTokenMinutes: 60, ssoSessionSeconds: 3600 },
    });
    inspector = new InspectorClient(app);
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  async function walk(browser: Browser, observe: Observe): Promise<void> {
    const toIdp = async (url: string, init?: Parameters<Browser['fetch']>[1]) => {
      const res = await browser.fetch(url, init);
      await observe(init?.method ?? (init?.form ? 'POST' : 'GET'), url, res);
      return res;
    };
    const startUp = async (origin: string): Promise<WorkflowInfo> => {
      expect((await browser.fetch(`${origin}/`)).status).toBe(200);
      const info = (await browser.fetch(`${origin}/api/workflow`)).json<WorkflowInfo>();
      expect(info.id).toBe('implicit-session');
      // The SPA is sent to the external identity server, with our redirect URI on this port.
      expect(info.authorize.url).toBe(`${idp.info.publicUrl}/oauth2/authorize`);
      expect(info.authorize.redirectUri).toBe(`${origin}/oauth-redirect`);
      expect((await browser.fetch(`${origin}/api/me`)).status).toBe(404);
      return info;
    };
    const authorizeUrl = (info: WorkflowInfo, state: string) => {
      const url = new URL(info.authorize.url);
      url.search = new URLSearchParams({ client_id: info.authorize.clientId, redirect_uri: info.authorize.redirectUri, response_type: 'token', state, nonce: randomUUID() }).toString();
      return url.toString();
    };
    const land = async (location: string, state: string) => {
      const url = new URL(location);
      const fragment = new URLSearchParams(url.hash.slice(1));
      expect(fragment.get('state')).toBe(state);
      const token = fragment.get('access_token')!;
      url.hash = '';
      expect((await browser.fetch(url.toString())).status).toBe(200);
      const started = await browser.fetch(`${url.origin}/api/session`, { json: { token } });
      expect(started.status, started.text).toBe(200);
    };

    // 1–8: the login form and the password go to the other process.
    const storeInfo = await startUp(app.urls.store);
    const state1 = randomUUID();
    const page = await toIdp(authorizeUrl(storeInfo, state1));
    expect(page.status).toBe(200);
    const posted = await toIdp(`${idp.info.publicUrl}/oauth2/authorize`, {
      form: { csrfToken: formToken(page), loginId: 'demo@example.com', password: 'demo-password', rememberDevice: 'true', client_id: storeInfo.authorize.clientId, redirect_uri: storeInfo.authorize.redirectUri, response_type: 'token', state: state1 },
    });
    expect(posted.status).toBe(302);
    expect(posted.location).toMatch(new RegExp(`^${app.urls.store}/oauth-redirect#access_token=`));
    // The SSO cookie is on the identity server's host and port, not ours.
    expect((await browser.cookies(`${idp.info.publicUrl}/`)).some((c) => c.key === 'fusionauth.sso' && c.httpOnly)).toBe(true);

    // 9–16: the backend verifies the JWT with keys from the other process (issuer from its discovery document).
    await land(posted.location!, state1);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);

    // 17–28: Loginscope's clock moves (sessions); the identity server's SSO session is still alive.
    await inspector.advance(IDLE + 1);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(401);
    const state2 = randomUUID();
    const sso = await toIdp(authorizeUrl(storeInfo, state2));
    expect(sso.status).toBe(302);
    await land(sso.location!, state2);
    expect((await browser.fetch(`${app.urls.store}/api/cart`)).status).toBe(200);

    // 29–42
    const forumInfo = await startUp(app.urls.forum);
    const state3 = randomUUID();
    const forumSso = await toIdp(authorizeUrl(forumInfo, state3));
    expect(forumSso.status).toBe(302);
    expect(forumSso.location).toMatch(new RegExp(`^${app.urls.forum}/oauth-redirect#access_token=`));
    await land(forumSso.location!, state3);
    expect((await browser.fetch(`${app.urls.forum}/api/posts`)).status).toBe(200);

    // 43–45
    expect((await inspector.attack('stolen-session-cookie')).json<{ succeeded: boolean }>().succeeded).toBe(true);
  }

  it('web mode: every step the loopback server can see is seen in order; browser↔identity-server steps are "not observed here"', async () => {
    await walk(new Browser(), async () => undefined);
    const state = await inspector.state<ExternalState>();
    expect(seedSteps(state)).toHaveLength(45);
    expect(state.identity).toMatchObject({ kind: 'fusionauth', observed: false });
    const hidden = state.steps.filter((s) => !s.observable);
    expect(hidden.map((s) => s.n)).toEqual(BROWSER_IDP_STEPS);
    for (const s of hidden) {
      expect([s.from, s.to].sort(), `step ${s.n}`).toEqual(['browser', 'idp']);
      expect(s.observableReason).toBe(NOT_OBSERVED);
      expect(s.seen, `step ${s.n}`).toBe(false);
    }
    const { order, unseen } = seenOrder(state as unknown as InspectorState);
    expect(unseen).toEqual(BROWSER_IDP_STEPS);
    expect(order).toEqual(seedSteps(state).filter((s) => s.observable).map((s) => s.n));
    expect(state.steps.filter((s) => s.observable).every((s) => s.observableReason === null)).toBe(true);
  });

  it('desktop feed: with the browser↔identity-server responses posted as Electron observes them, all 45 steps are seen in order', async () => {
    expect((await inspector.post('/reset')).status).toBe(200);
    const observe: Observe = async (method, url, res) => {
      const posted = await inspector.post('/trace/observed', {
        source: 'electron',
        partition: 'persist:loginscope',
        time: Date.now(),
        method,
        url,
        status: res.status,
        resourceType: 'mainFrame',
        setCookies: res.setCookies,
        ...(res.location !== undefined && { location: res.location }),
      });
      expect(posted.status, posted.text).toBe(201);
    };
    await walk(new Browser(), observe);
    const state = await inspector.state<ExternalState>();
    expect(state.identity.observed).toBe(true);
    expect(state.steps.every((s) => s.observable)).toBe(true);
    const { order, unseen } = seenOrder(state as unknown as InspectorState);
    expect(unseen).toEqual([]);
    expect(order).toEqual(seedSteps(state).map((s) => s.n));
    const { events } = (await inspector.get('/trace')).json<{ events: Array<{ type: string; actor?: string; origin?: string; path?: string; steps: number[] }> }>();
    const observed = events.filter((e) => e.type === 'exchange' && e.actor === 'browser' && e.origin === 'external');
    expect(observed.map((e) => e.path)).toEqual(['/oauth2/authorize', '/oauth2/authorize', '/oauth2/authorize', '/oauth2/authorize']);
    expect(observed.flatMap((e) => e.steps)).toEqual(BROWSER_IDP_STEPS);
  });

  it('refuses observed exchanges that are not well-formed or not from the configured FusionAuth', async () => {
    const good = { source: 'electron', partition: 'p', time: 1, method: 'GET', url: `${idp.info.publicUrl}/oauth2/authorize`, status: 200, resourceType: 'mainFrame', setCookies: [] };
    const cases: Array<[string, unknown, RegExp]> = [
      ['no body', undefined, /body must be one JSON object/],
      ['array', [good], /body must be one JSON object/],
      ['wrong source', { ...good, source: 'web' }, /source/],
      ['bad url', { ...good, url: 'not a url' }, /url/],
      ['ftp url', { ...good, url: 'ftp://login.localhost/x' }, /url/],
      ['bad status', { ...good, status: 99 }, /status/],
      ['status text', { ...good, status: '200' }, /status/],
      ['lower-case method', { ...good, method: 'get' }, /method/],
      ['cookies not strings', { ...good, setCookies: [1] }, /setCookies/],
      ['unknown field', { ...good, extra: true }, /extra|Unrecognized/i],
      ['another origin', { ...good, url: `${app.urls.store}/oauth-redirect` }, /configured FusionAuth/],
    ];
    const before = (await inspector.get('/trace')).json<{ events: unknown[] }>().events.length;
    for (const [name, body, message] of cases) {
      const res = await inspector.post('/trace/observed', body);
      expect(res.status, name).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message, name).toMatch(message);
    }
    expect((await inspector.get('/trace')).json<{ events: unknown[] }>().events.length).toBe(before);
    expect((await new Browser().fetch(`${app.urls.inspector}/api/trace/observed`, { json: good })).status).toBe(401);
  });
});
