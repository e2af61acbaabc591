import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { pageState, serverForm } from '../support/hosted-form.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

/** What the identity server's origin answers over plain HTTP, with no script run (issue 19, items 9 and 11). */
describe('login.localhost without JavaScript', () => {
  let app: TestLoginscope;
  let storeId: string;

  beforeAll(async () => {
    app = await startTestLoginscope();
    const identity = (await new Browser().fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<{ applications: { store: { id: string } } }>();
    storeId = identity.applications.store.id;
  });
  afterAll(() => app.stop());

  const implicit = () =>
    `${app.urls.login}/oauth2/authorize?${new URLSearchParams({ client_id: storeId, redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 'st-nojs' })}`;

  it('/ is a page saying what this origin is, with links to the discovery document and the inspector', async () => {
    const res = await new Browser().fetch(`${app.urls.login}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1>Loginscope identity server</h1>');
    expect(res.text).toContain(`href="${app.urls.login}/.well-known/openid-configuration"`);
    expect(res.text).toContain(`href="${app.urls.inspector}/"`);
    expect(res.text).not.toContain(app.inspectorToken);
    // The discovery document it links to is there; other unknown paths keep their JSON 404.
    expect((await new Browser().fetch(`${app.urls.login}/.well-known/openid-configuration`)).status).toBe(200);
    const missing = await new Browser().fetch(`${app.urls.login}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('the hosted login page is a working form as sent: fetched, parsed and posted, it answers the 302 with the token', async () => {
    const browser = new Browser();
    const page = await browser.fetch(implicit());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Loading the login form');
    const form = serverForm(page);
    expect(form).toMatchObject({ method: 'post', labels: { loginId: 'Email', password: 'Password' }, buttons: ['Log in'] });
    // The same fields the page's script renders: the OAuth parameters hidden, the CSRF token, FusionAuth's names.
    expect(form.fields).toMatchObject({ client_id: storeId, redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 'st-nojs', loginId: '', password: '', rememberDevice: 'true' });
    expect(form.fields.csrfToken).toBe(pageState(page).csrfToken);

    const res = await browser.fetch(new URL(form.action, app.urls.login).href, { form: { ...form.fields, loginId: 'demo@example.com', password: 'demo-password' } });
    expect(res.status).toBe(302);
    const answer = new URLSearchParams(res.location!.split('#')[1]);
    expect(res.location!.startsWith(`${app.urls.store}/oauth-redirect#`)).toBe(true);
    expect(answer.get('access_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(answer.get('state')).toBe('st-nojs');
    expect(res.setCookies.some((c) => c.startsWith('fusionauth.sso='))).toBe(true);
  });

  it('a wrong password answers the form again, server-rendered with the error and the email kept (text, never markup)', async () => {
    const browser = new Browser();
    const first = serverForm(await browser.fetch(implicit()));
    const typed = 'demo$&"<b>@example.com';
    const again = await browser.fetch(new URL(first.action, app.urls.login).href, { form: { ...first.fields, loginId: typed, password: 'wrong' } });
    expect(again.status).toBe(200);
    const form = serverForm(again);
    expect(form.fields.loginId).toBe(typed);
    expect(again.text).toMatch(/<p id="login-error" role="alert">[^<]+<\/p>/);
    expect(again.text).not.toContain('<b>@example.com');

    const res = await browser.fetch(new URL(form.action, app.urls.login).href, { form: { ...form.fields, loginId: 'demo@example.com', password: 'demo-password' } });
    expect(res.status).toBe(302);
    expect(res.location).toContain('access_token=');
  });
});
