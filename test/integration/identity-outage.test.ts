import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, IdentityOnlyProcess } from '../support/external-identity.js';
import { Browser } from '../support/http.js';
import { InspectorClient } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';
import { DEMO } from '../support/native-refresh-walk.js';

describe('when the identity server goes away', () => {
  let idp: IdentityOnlyProcess;
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const browser = new Browser();

  beforeAll(async () => {
    const port = await freePort();
    idp = await IdentityOnlyProcess.start(port);
    app = await startTestLoginscope({ port, identity: idp.info.config.identity });
    inspector = new InspectorClient(app);
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  it('every route answers 502 identity_unavailable, not 500 and not "log in again"', async () => {
    expect((await browser.fetch(`${app.urls.store}/api/login`, { json: DEMO })).status).toBe(200);
    await inspector.advance(601);
    await idp.stop();

    const cart = await browser.fetch(`${app.urls.store}/api/cart`);
    expect(cart.status).toBe(502);
    expect(cart.json<{ error: { code: string } }>().error.code).toBe('identity_unavailable');
    const login = await new Browser().fetch(`${app.urls.forum}/api/login`, { json: DEMO });
    expect(login.status).toBe(502);

    expect((await inspector.workflow('implicit-session')).status).toBe(200);
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'u', email: DEMO.email })}.${'a'.repeat(43)}`;
    const started = await new Browser().fetch(`${app.urls.store}/api/session`, { json: { token } });
    expect(started.status).toBe(502);
    expect(started.json<{ error: { code: string } }>().error.code).toBe('identity_unavailable');
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
