import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { InspectorClient, type InspectorState } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

describe('switching workflows', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  beforeAll(async () => {
    app = await startTestLoginscope();
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  const seen = (state: InspectorState) => state.steps.filter((s) => s.seen).map((s) => s.n);
  const trace = async () => (await inspector.get('/trace')).json<{ events: Array<{ id: number; type: string }> }>().events;

  it('starts everything clean, the diagram too, both ways (no lit step from a walk whose sessions are gone)', async () => {
    const browser = new Browser();
    await browser.fetch(`${app.urls.store}/`);
    await browser.fetch(`${app.urls.store}/api/me`);
    expect((await browser.fetch(`${app.urls.store}/api/login`, { json: { email: 'demo@example.com', password: 'demo-password' } })).status).toBe(200);
    const native = await inspector.state();
    expect(seen(native)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);

    expect((await inspector.workflow('implicit-session')).status).toBe(200);
    const implicit = await inspector.state();
    expect(implicit.workflow).toBe('implicit-session');
    expect(seen(implicit)).toEqual([]);
    expect(implicit.sessions.store).toEqual([]);
    expect(implicit.idp.refreshTokens).toEqual([]);
    expect((await browser.fetch(`${app.urls.store}/api/me`)).status).toBe(404);

    expect((await inspector.workflow('native-refresh')).status).toBe(200);
    const back = await inspector.state();
    expect(seen(back)).toEqual([]);
    expect(back.sessions.store).toEqual([]);
    expect((await trace()).map((e) => e.type)).toEqual(['state.reset']);
    expect((await browser.fetch(`${app.urls.store}/api/me`)).status).toBe(404);

    expect((await inspector.post('/reset')).status).toBe(200);
    expect(seen(await inspector.state())).toEqual([]);
    expect((await trace()).map((e) => e.type)).toEqual(['state.reset']);
    expect((await inspector.workflow('nope')).status).toBe(400);
  });
});
