import { freePort, IdentityOnlyProcess } from '../support/external-identity.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';
import { apps, expect, test } from './support/fixtures.js';

let idp: IdentityOnlyProcess;
let app: TestLoginscope;

test.beforeAll(async () => {
  const port = await freePort();
  idp = await IdentityOnlyProcess.start(port);
  app = await startTestLoginscope({ port, workflow: 'implicit-session', identity: idp.info.config.identity });
});
test.afterAll(async () => {
  await app?.stop();
  await idp?.stop();
});

test('against a real FusionAuth the inspector marks browser↔FusionAuth steps "not observed here", and shows the check', async ({ page, context }) => {
  const inspector = await context.newPage();
  await inspector.goto(app.inspectorUrl);
  await expect(inspector.locator('[data-step="5"][data-observable="false"]')).toContainText('not observed here (open in the desktop app)');
  await expect(inspector.locator('[data-step="3"]')).not.toHaveAttribute('data-observable', 'false');
  await expect(inspector.getByTestId('identity-check')).toHaveAttribute('data-ok', 'true');

  await page.goto(`${app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await expect(page).toHaveURL(new RegExp(`^http://login\\.localhost:${idp.port}/oauth2/authorize\\?`));
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  for (const n of [9, 11, 12, 13, 14, 16]) await expect(inspector.locator(`[data-step="${n}"]`)).toHaveAttribute('data-seen', 'true');
  await expect(inspector.locator('[data-step="7"]')).not.toHaveAttribute('data-seen', 'true');

  await inspector.getByRole('button', { name: 'Check connection' }).click();
  await expect(inspector.getByTestId('identity-check')).toHaveAttribute('data-ok', 'true');
});
